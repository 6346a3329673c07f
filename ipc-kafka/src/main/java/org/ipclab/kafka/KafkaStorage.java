package org.ipclab.kafka;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.ipclab.kafka.KafkaNodes.Node;

/**
 * What a Kafka node needs on disk before it starts: its {@code server.properties}, and its storage formatted by
 * Kafka's own storage tool ({@code meta.properties}, and for one node a quorum of itself). Look at them in
 * {@code DIR/node-N/}.
 */
final class KafkaStorage {

    private KafkaStorage() {
    }

    /** {@code server.properties} of one node: broker and controller in one process, every listener on 127.0.0.1. */
    static void writeProperties(Node node, List<Node> all, Map<String, String> overrides) throws IOException {
        Files.createDirectories(node.dir.resolve("data"));
        int n = all.size();
        int rf = Math.min(3, n);
        Map<String, String> p = new java.util.LinkedHashMap<>();
        p.put("process.roles", "broker,controller");
        p.put("node.id", String.valueOf(node.id));
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + node.port + ",CONTROLLER://127.0.0.1:" + node.controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + node.port + ",CONTROLLER://127.0.0.1:" + node.controllerPort);
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        if (n == 1) {
            p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + node.controllerPort);
        } else {
            p.put("controller.quorum.voters", all.stream().map(o -> o.id + "@127.0.0.1:" + o.controllerPort)
                    .collect(Collectors.joining(",")));
        }
        p.put("log.dirs", node.dir.resolve("data").toString());
        // the internal topics (consumer offsets, transactions, share groups): as many copies as there are nodes, up to 3
        p.put("offsets.topic.replication.factor", String.valueOf(rf));
        p.put("offsets.topic.num.partitions", "1");
        p.put("transaction.state.log.replication.factor", String.valueOf(rf));
        p.put("transaction.state.log.min.isr", String.valueOf(Math.min(2, rf)));
        p.put("transaction.state.log.num.partitions", "1");
        p.put("share.coordinator.state.topic.replication.factor", String.valueOf(rf));
        p.put("share.coordinator.state.topic.min.isr", String.valueOf(Math.min(2, rf)));
        p.put("share.coordinator.state.topic.num.partitions", "1");
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("group.initial.rebalance.delay.ms", "0");
        // a dead node is noticed after 3 s without heartbeats (Kafka's default: 9 s)
        p.put("broker.session.timeout.ms", "3000");
        p.put("broker.heartbeat.interval.ms", "500");
        p.putAll(overrides);
        try (Writer w = Files.newBufferedWriter(node.dir.resolve("server.properties"))) {
            for (var e : p.entrySet()) {
                w.write(e.getKey() + "=" + e.getValue() + "\n");
            }
        }
    }

    /** {@code kafka-storage format}: writes meta.properties and, for one node, a quorum of itself (--standalone). */
    static void format(String classPath, List<Node> nodes, String clusterId, Duration timeout) throws IOException {
        List<Process> running = new ArrayList<>();
        for (Node node : nodes) {
            List<String> args = new ArrayList<>(List.of("format", "-t", clusterId, "-c",
                    node.dir.resolve("server.properties").toString()));
            if (nodes.size() == 1) {
                args.add("--standalone");
            }
            running.add(new ProcessBuilder(KafkaNodes.javaCommand(classPath, "kafka.tools.StorageTool", args))
                    .redirectErrorStream(true).redirectOutput(node.dir.resolve("format.log").toFile()).start());
        }
        for (int i = 0; i < running.size(); i++) {
            Process p = running.get(i);
            try {
                if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    throw new KafkaStartException("formatting node " + nodes.get(i).id + " took longer than " + timeout);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaStartException("interrupted while formatting the Kafka storage");
            }
            if (p.exitValue() != 0) {
                throw new KafkaStartException("kafka-storage format failed for node " + nodes.get(i).id + ": "
                        + KafkaNodes.lastLine(nodes.get(i).dir.resolve("format.log")));
            }
        }
    }
}

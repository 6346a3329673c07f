package org.ipclab.kafka;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.ipclab.kafka.KafkaNodes.Node;

/**
 * When a started cluster is ready: each node says READY on its stdout once Kafka's startup() returned (for several
 * nodes, once the quorum has a leader), then an AdminClient must see every broker registered with the controller.
 */
final class KafkaReadiness {

    private KafkaReadiness() {
    }

    /** Returns once every node printed READY and an AdminClient sees every broker; {@link KafkaStartException} if not. */
    static void await(List<Node> nodes, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        // READY from each node: startup() returned (for several nodes: only once the quorum has a leader)
        for (Node node : nodes) {
            BufferedReader out = new BufferedReader(new InputStreamReader(node.process.getInputStream(), StandardCharsets.UTF_8));
            var ready = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    String line;
                    while ((line = out.readLine()) != null) {
                        if (line.startsWith(BrokerNodeMain.READY)) {
                            return true;
                        }
                    }
                } catch (IOException ignored) {
                    // the node died: false below
                }
                return false;
            });
            try {
                long leftNs = deadline - System.nanoTime();
                if (!ready.get(Math.max(1, leftNs), TimeUnit.NANOSECONDS)) {
                    KafkaNodes.waitQuietly(node.process);
                    throw new KafkaStartException("Kafka node " + node.id + " stopped while starting ("
                            + describeExit(node.process) + "): " + KafkaNodes.lastLine(node.log()));
                }
            } catch (java.util.concurrent.TimeoutException e) {
                throw new KafkaStartException("Kafka node " + node.id + " did not start within " + timeout
                        + "; see " + node.log());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KafkaStartException("interrupted while starting Kafka");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new KafkaStartException("Kafka node " + node.id + ": " + e.getCause());
            }
        }
        // then the cluster as a client sees it: every broker registered and unfenced
        String bootstrap = nodes.stream().map(n -> "127.0.0.1:" + n.port).collect(Collectors.joining(","));
        try (Admin admin = KafkaNodes.admin(bootstrap, Duration.ofSeconds(5))) {
            while (true) {
                try {
                    int seen = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
                    if (seen == nodes.size()) {
                        return;
                    }
                } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not yet: the brokers are still registering with the controller
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new KafkaStartException("interrupted while starting Kafka");
                }
                if (System.nanoTime() > deadline) {
                    throw new KafkaStartException("the Kafka cluster did not show " + nodes.size() + " brokers within " + timeout);
                }
                KafkaNodes.sleep(200);
            }
        }
    }

    private static String describeExit(Process p) {
        return p.isAlive() ? "still running" : "exit code " + p.exitValue();
    }
}

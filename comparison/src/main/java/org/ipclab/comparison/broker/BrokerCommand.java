package org.ipclab.comparison.broker;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.ipclab.comparison.cli.ExitCodes;
import org.ipclab.comparison.cli.IpcLabCommand;
import org.ipclab.comparison.cli.UserError;
import org.ipclab.kafka.KafkaNodes;
import org.ipclab.kafka.KafkaStartException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ipc-lab broker kafka}: a real message broker on this machine, for the transports that go through one. */
@Command(name = "broker", mixinStandardHelpOptions = true,
        description = "Start a message broker on this machine (loopback only) and keep it running until Ctrl-C.",
        subcommands = {BrokerCommand.Kafka.class})
public final class BrokerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a broker: kafka");
    }

    /** {@code ipc-lab broker kafka [--port P] [--nodes N] [--dir DIR]}. */
    @Command(name = "kafka", mixinStandardHelpOptions = true,
            description = {"Start Apache Kafka (KRaft: each node both broker and controller, no ZooKeeper), each node a"
                    + " JVM of its own with a 256 MB heap, every listener on 127.0.0.1. Prints the bootstrap address;"
                    + " Ctrl-C (or SIGTERM) stops every node and deletes the data, unless --dir was given.",
                "Watch it: ss -ltnp | grep java (two listeners per node: clients, controller); ls DIR/node-1/data."})
    public static final class Kafka implements Callable<Integer> {

        @Option(names = "--port", paramLabel = "P", defaultValue = "" + KafkaNodes.DEFAULT_PORT,
                description = "Client port of node 1; node N listens on P+N-1 (default: ${DEFAULT-VALUE}).")
        int port;

        @Option(names = "--nodes", paramLabel = "N", defaultValue = "1",
                description = "Nodes, 1 to 9; more than one form a static quorum (default: ${DEFAULT-VALUE}).")
        int nodes;

        @Option(names = "--dir", paramLabel = "DIR",
                description = "Keep the data here (an empty or new directory); default: a temporary one, deleted on exit.")
        Path dir;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (nodes < 1 || nodes > 9) {
                throw new UserError("--nodes takes 1 to 9, not " + nodes);
            }
            if (port < 1 || port + nodes - 1 > 65535) {
                throw new UserError("--port " + port + " is out of range; use 1-" + (65536 - nodes));
            }
            if (dir != null && Files.isDirectory(dir)) {
                try (var entries = Files.list(dir)) {
                    if (entries.findAny().isPresent()) {
                        throw new UserError("--dir " + dir + " is not empty; give a new or empty directory");
                    }
                }
            } else if (dir != null && Files.exists(dir)) {
                throw new UserError("--dir " + dir + " is not a directory");
            }
            PrintStream out = System.out;
            KafkaNodes cluster;
            try {
                cluster = KafkaNodes.start(KafkaNodes.Options.oneNode().withNodes(nodes).withPort(port).withDir(dir));
            } catch (KafkaStartException e) {
                throw new UserError("kafka broker: " + e.getMessage());
            }
            out.printf(Locale.ROOT, "Kafka started in %.1f s (KRaft, %d node%s, %d MB resident)%n",
                    cluster.startTime().toMillis() / 1000.0,
                    nodes, nodes == 1 ? "" : "s", cluster.residentBytes() / (1024 * 1024));
            for (KafkaNodes.Node node : cluster.nodes()) {
                out.println("  node " + node.id() + ": pid " + node.pid() + ", 127.0.0.1:" + node.port() + ", log " + node.log());
            }
            out.println("data: " + cluster.dir() + (dir == null ? " (deleted when the broker stops)" : " (kept)"));
            out.println("bootstrap: " + cluster.bootstrap());
            out.println("Try: " + IpcLabCommand.LAUNCHER + " server kafka --bootstrap " + cluster.bootstrap()
                    + "   and   " + IpcLabCommand.LAUNCHER + " client kafka --bootstrap " + cluster.bootstrap()
                    + " --message hello");
            out.println("Ctrl-C stops it.");
            out.flush();
            // until Ctrl-C (the shutdown hook of KafkaNodes stops the nodes) or until a node dies on its own
            while (true) {
                for (KafkaNodes.Node node : cluster.nodes()) {
                    if (!node.alive()) {
                        System.err.println("ipc-lab: kafka node " + node.id() + " stopped on its own; see " + node.log()
                                + " (stopping the others)");
                        cluster.close();
                        return ExitCodes.FAILED;
                    }
                }
                Thread.sleep(500);
            }
        }
    }
}

package org.ipclab.kafka;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.utils.Time;

/**
 * One Kafka node (KRaft, broker and controller in one process) in a JVM of its own:
 * {@code BrokerNodeMain server.properties [--delete-on-exit DIR]}. It runs only in a broker JVM, whose class path
 * holds the broker's jars ({@link KafkaClassPath}); an ipc-lab client JVM never loads it.
 *
 * <p>It does what {@code kafka.Kafka} does (build a {@link KafkaRaftServer} from the properties, start it, stop it on
 * SIGTERM) and two things more, so that no broker outlives the run that started it: it stops when its stdin reaches
 * end of file, which happens when the parent closes it <em>or dies</em> (the kernel closes the parent's end of the
 * pipe, even after SIGKILL); and, when told, it deletes its own data directory once the broker has stopped.
 * Prints {@code READY} on stdout when {@code startup()} returned.
 */
public final class BrokerNodeMain {

    static final String READY = "READY";
    static final String DELETE_ON_EXIT = "--delete-on-exit";
    /** A node stopped after its quorum is gone can wait for the lost controllers for ever: stop waiting then. */
    private static final long SHUTDOWN_BOUND_MS = 20_000;

    private BrokerNodeMain() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        System.setOut(System.err);   // the broker's own printing goes to the log, only READY to the parent
        Properties props = new Properties();
        try (InputStream in = new FileInputStream(args[0])) {
            props.load(in);
        }
        Path deleteOnExit = args.length >= 3 && args[1].equals(DELETE_ON_EXIT) ? Path.of(args[2]) : null;

        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        AtomicBoolean stopped = new AtomicBoolean();
        Runnable stop = () -> {
            if (!stopped.compareAndSet(false, true)) {
                return;
            }
            Thread bound = new Thread(() -> {
                try {
                    Thread.sleep(SHUTDOWN_BOUND_MS);
                } catch (InterruptedException e) {
                    return;
                }
                System.err.println("broker node: shutdown did not finish within " + SHUTDOWN_BOUND_MS + " ms; halting");
                deleteQuietly(deleteOnExit);
                Runtime.getRuntime().halt(3);
            }, "shutdown-bound");
            bound.setDaemon(true);
            bound.start();
            server.shutdown();
            server.awaitShutdown();
            deleteQuietly(deleteOnExit);
            bound.interrupt();
        };
        // SIGTERM and Ctrl-C (SIGINT) run shutdown hooks: the broker closes its logs cleanly (no recovery next start)
        Runtime.getRuntime().addShutdownHook(new Thread(stop, "broker-node-shutdown"));
        server.startup();
        out.println(READY);
        out.flush();

        Thread watch = new Thread(() -> {
            byte[] sink = new byte[64];
            try {
                while (System.in.read(sink) >= 0) {
                    // the parent never writes; we only wait for end of file
                }
            } catch (IOException ignored) {
                // a broken stdin means the same as end of file: the parent is gone
            }
            System.exit(0);   // runs the shutdown hook above
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
        server.awaitShutdown();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException ignored) {
            // best effort: the parent deletes what is left when it is still alive
        }
        Path parent = dir.getParent();
        if (parent != null) {
            // the last node to go removes the run's directory too (it fails while another node's is still there)
            parent.toFile().delete();
        }
    }
}

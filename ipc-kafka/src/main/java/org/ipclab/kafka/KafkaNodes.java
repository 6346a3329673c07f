package org.ipclab.kafka;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.ipclab.core.Closer;
import org.ipclab.core.FileTrees;
import org.ipclab.core.JvmFlags;

/**
 * A Kafka cluster on this machine: {@code n} nodes, each a JVM of its own with a bounded heap, each both broker and
 * KRaft controller ("combined mode"), every listener on 127.0.0.1. Closing it stops the nodes (SIGTERM after their
 * stdin closes; SIGKILL if one does not stop) and deletes the data directory unless the caller chose it.
 *
 * <p>What a node is made of, on disk and on the wire:
 * <ul>
 *   <li>{@code node-N/server.properties}; {@code node-N/data/} holds {@code meta.properties} (written by
 *       {@code kafka-storage format}: the cluster id and this node's id), the metadata log
 *       {@code __cluster_metadata-0/} and one directory per topic partition: {@code ipclab-echo-0/0000...0.log} is the
 *       log itself, records appended with write(2), served to consumers with sendfile(2). Watch it:
 *       {@code ls -l DIR/node-1/data/*}; {@code strace -f -e trace=sendfile,write -p PID}.</li>
 *   <li>two TCP listeners: PLAINTEXT (clients and other brokers) and CONTROLLER (the Raft quorum). See them:
 *       {@code ss -ltnp | grep java}.</li>
 * </ul>
 * One node formats with {@code --standalone} (a quorum of itself); several name each other as static voters
 * ({@code controller.quorum.voters}), and the quorum needs a majority of them alive to elect a leader.
 */
public final class KafkaNodes implements AutoCloseable {

    public static final int DEFAULT_PORT = 9092;
    /** The broker's heap: enough for a lab's topics; the process is about 300 MB resident with metaspace and buffers. */
    public static final String HEAP = "-Xmx256m";
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_WAIT = Duration.ofSeconds(25);

    /** How to start the cluster. {@code port} 0: any free port; {@code dir} null: a temporary one, deleted on close. */
    public record Options(int nodes, int port, Path dir, Duration startTimeout, Map<String, String> overrides) {
        public static Options oneNode() {
            return new Options(1, 0, null, DEFAULT_START_TIMEOUT, Map.of());
        }

        public Options withNodes(int n) {
            return new Options(n, port, dir, startTimeout, overrides);
        }

        public Options withPort(int p) {
            return new Options(nodes, p, dir, startTimeout, overrides);
        }

        public Options withDir(Path d) {
            return new Options(nodes, port, d, startTimeout, overrides);
        }

        public Options withOverrides(Map<String, String> o) {
            return new Options(nodes, port, dir, startTimeout, o);
        }
    }

    /** One node: its id, ports, directory and process. */
    public static final class Node {
        final int id;
        final int port;
        final int controllerPort;
        final Path dir;
        Process process;

        Node(int id, int port, int controllerPort, Path dir) {
            this.id = id;
            this.port = port;
            this.controllerPort = controllerPort;
            this.dir = dir;
        }

        public int id() {
            return id;
        }

        public int port() {
            return port;
        }

        public long pid() {
            return process.pid();
        }

        public boolean alive() {
            return process != null && process.isAlive();
        }

        public Path log() {
            return dir.resolve("node.log");
        }
    }

    private final List<Node> nodes;
    private final Path dir;
    private final boolean ownDir;
    private final Duration startTime;
    private final Thread hook;
    private boolean closed;

    private KafkaNodes(List<Node> nodes, Path dir, boolean ownDir, Duration startTime, Thread hook) {
        this.nodes = nodes;
        this.dir = dir;
        this.ownDir = ownDir;
        this.startTime = startTime;
        this.hook = hook;
    }

    /** Starts the cluster and returns once every node answers an AdminClient; {@link KafkaStartException} if not. */
    public static KafkaNodes start(Options options) throws IOException {
        String classPath = KafkaClassPath.find().orElseThrow(() -> new KafkaStartException(KafkaClassPath.missingReason()));
        if (options.nodes() < 1 || options.nodes() > 9) {
            throw new IllegalArgumentException("nodes must be 1 to 9, not " + options.nodes());
        }
        long startNs = System.nanoTime();
        boolean ownDir = options.dir() == null;
        Path dir = ownDir ? Files.createTempDirectory("ipc-lab-kafka-") : Files.createDirectories(options.dir());
        List<Node> nodes = new ArrayList<>();
        // stop the nodes and delete the data even when the user presses Ctrl-C while they start
        KafkaNodes[] self = new KafkaNodes[1];
        Thread hook = new Thread(() -> {
            if (self[0] != null) {
                self[0].closeQuietly();
            } else {
                nodes.forEach(n -> stopNode(n));
                if (ownDir) {
                    FileTrees.deleteQuietly(dir);
                }
            }
        }, "kafka-nodes-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (int i = 0; i < options.nodes(); i++) {
                int port = options.port() == 0 ? freePort() : options.port() + i;
                if (options.port() != 0) {
                    checkFree(port);
                }
                nodes.add(new Node(i + 1, port, freePort(), dir.resolve("node-" + (i + 1))));
            }
            String clusterId = Uuid.randomUuid().toString();
            for (Node node : nodes) {
                KafkaStorage.writeProperties(node, nodes, options.overrides());
            }
            KafkaStorage.format(classPath, nodes, clusterId, options.startTimeout());
            for (Node node : nodes) {
                launch(classPath, node, ownDir);
            }
            KafkaReadiness.await(nodes, options.startTimeout());
            KafkaNodes started = new KafkaNodes(nodes, dir, ownDir, Duration.ofNanos(System.nanoTime() - startNs), hook);
            self[0] = started;
            return started;
        } catch (IOException | RuntimeException e) {
            nodes.forEach(KafkaNodes::stopNode);
            if (ownDir) {
                FileTrees.deleteQuietly(dir);
            }
            removeHook(hook);
            throw e;
        }
    }

    /** {@code 127.0.0.1:p1,127.0.0.1:p2,...}: what a client's {@code bootstrap.servers} takes. */
    public String bootstrap() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.port).collect(Collectors.joining(","));
    }

    public List<Node> nodes() {
        return List.copyOf(nodes);
    }

    public Optional<Node> node(int id) {
        return nodes.stream().filter(n -> n.id == id).findFirst();
    }

    /** From the first launch until every node answered. */
    public Duration startTime() {
        return startTime;
    }

    public Path dir() {
        return dir;
    }

    /** SIGKILL one node: no shutdown hook, no flush; its sockets are closed by the kernel (the peers see RST/EOF). */
    public void kill(int id) throws InterruptedException {
        Node node = node(id).orElseThrow();
        node.process.destroyForcibly();
        node.process.waitFor(10, TimeUnit.SECONDS);
    }

    /** The resident memory of every node together, from /proc/PID/status (VmRSS), in bytes; 0 where unreadable. */
    public long residentBytes() {
        long total = 0;
        for (Node node : nodes) {
            if (!node.alive()) {
                continue;
            }
            try {
                for (String line : Files.readAllLines(Path.of("/proc/" + node.pid() + "/status"))) {
                    if (line.startsWith("VmRSS:")) {
                        total += Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                    }
                }
            } catch (IOException | NumberFormatException ignored) {
                // not Linux, or the node just exited: count nothing for it
            }
        }
        return total;
    }

    public static Admin admin(String bootstrap, Duration timeout) {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        int ms = (int) Math.max(1000, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        props.put(AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 100);
        props.put(AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return Admin.create(props);
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        // all at once: each node's stdin closes, each stops while the others (and so the quorum) are still there
        nodes.forEach(n -> Closer.closeQuietly(null, n.process.getOutputStream()));
        nodes.forEach(KafkaNodes::stopNode);
        if (ownDir) {
            FileTrees.deleteQuietly(dir);
        }
        removeHook(hook);
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException ignored) {
            // in a shutdown hook there is no one left to tell
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException ignored) {
            // the JVM is already shutting down: the hook is running (or ran) and does the same
        }
    }

    private static void stopNode(Node node) {
        Process p = node.process;
        if (p == null) {
            return;
        }
        try {
            p.getOutputStream().close();
            if (!p.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroy();   // SIGTERM
                if (!p.waitFor(5, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(5, TimeUnit.SECONDS);
                }
            }
        } catch (IOException ignored) {
            // stdin already closed: wait as usual
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static void launch(String classPath, Node node, boolean deleteOnExit) throws IOException {
        List<String> args = new ArrayList<>(List.of(node.dir.resolve("server.properties").toString()));
        if (deleteOnExit) {
            args.add(BrokerNodeMain.DELETE_ON_EXIT);
            args.add(node.dir.toString());
        }
        /* fork(2) + execve(2) of a new JVM: the broker never shares this JVM's heap, threads or class path. Its
         * stdin is a pipe from us: when we exit, even by SIGKILL, it reads end of file and stops itself. */
        node.process = new ProcessBuilder(javaCommand(classPath, BrokerNodeMain.class.getName(), args))
                .redirectError(Redirect.appendTo(node.log().toFile())).start();
    }

    /** A node's JVM (or the storage tool's): bounded heap, one GC thread, the broker's class path. */
    static List<String> javaCommand(String classPath, String main, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(JvmFlags.javaExecutable());
        command.add(HEAP);
        command.add("-XX:+UseSerialGC");   // one GC thread per node: three nodes share two cores with the measurement
        command.add("-Djava.awt.headless=true");
        command.add("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
        command.add("-cp");
        command.add(classPath);
        command.add(main);
        command.addAll(args);
        return command;
    }

    static void waitQuietly(Process p) {
        try {
            p.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last line of a log that says what went wrong (an exception's message, not its stack frames). */
    static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i).trim();
                if (!l.isEmpty() && !l.startsWith("at ") && !l.startsWith("...") && !l.startsWith("Caused by: java.lang.reflect")) {
                    return l.length() > 300 ? l.substring(0, 300) + "..." : l;
                }
            }
            return "(the log " + log + " is empty)";
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** A port the kernel says is free now (bind 0, read it, close): another process could take it before the broker. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void checkFree(int port) throws KafkaStartException {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
        } catch (IOException e) {
            throw new KafkaStartException("port " + port + " on 127.0.0.1 is already in use (see: ss -ltnp 'sport = :"
                    + port + "'); stop that process or choose another --port");
        }
    }
}

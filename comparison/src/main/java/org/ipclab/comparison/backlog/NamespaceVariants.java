package org.ipclab.comparison.backlog;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.Closer;
import org.ipclab.core.JvmFlags;
import org.ipclab.core.ProcFiles;
import org.ipclab.report.backlog.Arrival;
import org.ipclab.report.backlog.BacklogJson;
import org.ipclab.report.backlog.BacklogReport;
import org.ipclab.report.backlog.BacklogSettings;
import org.ipclab.report.backlog.BlockingConnect;
import org.ipclab.report.backlog.NamespaceVariant;

/**
 * Runs the experiment again with contrasting sysctls, each in its own private network namespace, so the
 * host's settings are never touched: {@code ip netns add ipclab-<random>}, loopback up,
 * {@code ip netns exec NAME sysctl -w ...}, then a child JVM started with {@code ip netns exec NAME java ...}
 * runs the trials there and prints JSON. The namespace is deleted afterwards, also when anything fails.
 * A network namespace has its own sockets, its own /proc/net counters and its own net.* sysctls
 * (network_namespaces(7), ip-netns(8)); watch them with {@code ip netns list} and
 * {@code ip netns exec NAME ss -tan}.
 *
 * <p>Each namespace is a separate network stack: the variants cannot see each other's connections or
 * counters, nor the host's. Their trials use a slow server (one accept() every
 * {@value BacklogSettings#VARIANT_ACCEPT_EVERY_MS} ms) and clients arriving all at once, the case where
 * these sysctls make a difference; the "namespace defaults" variant is the control.
 */
public final class NamespaceVariants {

    /** One contrasting run: what to set, why, and whether it measures a blocking connect() instead. */
    record Spec(String name, Map<String, String> sysctls, String purpose, boolean blockingConnect) {
    }

    static final List<Spec> DEFAULT = List.of(
            new Spec("namespace defaults", Map.of(),
                    "The control: the same slow server and burst of clients in a fresh namespace with the "
                            + "kernel's default sysctls, to compare the other variants with.", false),
            new Spec("tcp_abort_on_overflow=1", Map.of("net.ipv4.tcp_abort_on_overflow", "1"),
                    "Does the server now answer with a reset (RST) instead of dropping the handshake's final "
                            + "ACK when its accept queue is full?", false),
            new Spec("tcp_syncookies=0", Map.of("net.ipv4.tcp_syncookies", "0"),
                    "Without syncookies a SYN that finds the SYN queue full is dropped instead of answered "
                            + "with a cookie: what becomes of a burst of clients?", false),
            new Spec("tcp_syn_retries=2", Map.of("net.ipv4.tcp_syn_retries", "2"),
                    "When does a waiting client retransmit its SYN, and how long does a plain blocking connect() "
                            + "to a full server wait before the kernel gives up? (tcp_syn_retries=2 keeps the wait "
                            + "short; the model predicts every value)", true));

    private static final long COMMAND_WAIT_MS = 10_000;
    /** How long a child JVM may take to start and warm up before it is told to go anyway. */
    private static final long READY_WAIT_MS = 20_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private NamespaceVariants() {
    }

    /** Why the variants cannot run here, or null when they can. */
    static String unavailableReason() {
        if (!isRoot()) {
            return "needs root (ip netns add); run as root to see the contrasting sysctls";
        }
        for (String tool : List.of("ip", "sysctl")) {
            if (which(tool) == null) {
                return "'" + tool + "' was not found; install iproute2 and procps to see the contrasting sysctls";
            }
        }
        return null;
    }

    /**
     * Runs every spec in its own namespace and returns one result per spec, in order. The child JVMs start
     * together (start-up is the slow part), then run one at a time, so no trial shares the CPUs with
     * another; the blocking-connect measurement, which only waits, runs alongside.
     */
    static List<NamespaceVariant> run(BacklogSettings settings, List<Spec> specs) {
        List<Running> running = new ArrayList<>();
        try {
            for (Spec spec : specs) {
                running.add(Running.start(spec, settings));
            }
            for (Running r : running) {
                if (r.spec.blockingConnect()) {
                    r.go();
                }
            }
            NamespaceVariant[] results = new NamespaceVariant[running.size()];
            for (int i = 0; i < running.size(); i++) {
                Running r = running.get(i);
                if (!r.spec.blockingConnect()) {
                    r.go();
                    results[i] = r.finish();
                }
            }
            for (int i = 0; i < running.size(); i++) {
                if (results[i] == null) {
                    results[i] = running.get(i).finish();
                }
            }
            return List.of(results);
        } finally {
            for (Running r : running) {
                r.close();
            }
        }
    }

    /** What a variant's child runs: a burst of clients at a slow server, with the variant backlogs. */
    static BacklogSettings childSettings(BacklogSettings settings) {
        return settings.withBacklogs(settings.variantBacklogs())
                .withArrivals(List.of(Arrival.ALL_AT_ONCE))
                .withAcceptEveryMs(BacklogSettings.VARIANT_ACCEPT_EVERY_MS)
                .withNamespaceVariants(false, List.of());
    }

    /** How long a child may run: its trials' worst case plus JVM start-up. */
    static long childBoundMs(BacklogSettings settings, Spec spec) {
        if (spec.blockingConnect()) {
            return 60_000;
        }
        long perTrial = settings.connectTimeoutMs() * 2 + (settings.acceptAfterMs() == null ? 0 : settings.acceptAfterMs())
                + BacklogSettings.VARIANT_ACCEPT_EVERY_MS * 64 + 2_000;
        return 30_000 + settings.variantBacklogs().size() * perTrial;
    }

    /** One variant under way: its namespace, its child JVM, its output files. */
    private static final class Running implements AutoCloseable {
        final Spec spec;
        final String namespace = randomName();
        final long startNs = System.nanoTime();
        final long boundMs;
        long goNs;
        boolean namespaceCreated;
        ChildProcess child;
        Path stdout;
        Path stderr;
        Path ready;
        String error;
        boolean closed;

        private Running(Spec spec, long boundMs) {
            this.spec = spec;
            this.boundMs = boundMs;
        }

        static Running start(Spec spec, BacklogSettings settings) {
            Running r = new Running(spec, childBoundMs(settings, spec));
            try {
                r.setUp();
                r.launch(settings);
            } catch (IOException e) {
                r.error = e.getMessage();
            }
            return r;
        }

        private void setUp() throws IOException {
            /* ip netns add: a new, empty network stack (only a loopback interface, down) with its own
             * sysctls under /proc/sys/net. Nothing done inside it changes the host's. */
            command("create the network namespace", ip(), "netns", "add", namespace);
            namespaceCreated = true;
            command("bring loopback up in it", ip(), "netns", "exec", namespace, ip(), "link", "set", "lo", "up");
            for (Map.Entry<String, String> sysctl : spec.sysctls().entrySet()) {
                command("set " + sysctl.getKey() + " in it", ip(), "netns", "exec", namespace, sysctl(), "-q", "-w",
                        sysctl.getKey() + "=" + sysctl.getValue());
            }
        }

        private void launch(BacklogSettings settings) throws IOException {
            stdout = Files.createTempFile("ipclab-backlog-", ".json");
            stderr = Files.createTempFile("ipclab-backlog-", ".err");
            ready = Files.createTempFile("ipclab-backlog-", ".ready");
            Files.delete(ready);
            List<String> args = spec.blockingConnect()
                    ? List.of(BacklogChildMain.BLOCKING_CONNECT, ready.toString())
                    : List.of(BacklogChildMain.TRIALS, BacklogJson.write(childSettings(settings)).replace('\n', ' '),
                            ready.toString());
            // the child waits for a line on its stdin before it measures anything (see go())
            List<String> command = new ArrayList<>(List.of(ip(), "netns", "exec", namespace));
            command.addAll(JvmFlags.javaCommand(List.of("-Djava.awt.headless=true"),
                    BacklogChildMain.class.getName(), args));
            Process process = new ProcessBuilder(command)
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            child = new ChildProcess(process, "the " + spec.name() + " child JVM");
        }

        /** Waits (bounded) until the child is ready, then tells it to start measuring. */
        void go() {
            if (error != null) {
                goNs = System.nanoTime();
                return;
            }
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(READY_WAIT_MS);
            while (!Files.exists(ready) && child.process().isAlive() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            goNs = System.nanoTime();
            try {
                OutputStream in = child.process().getOutputStream();
                in.write("go\n".getBytes(StandardCharsets.US_ASCII));
                in.flush();
            } catch (IOException e) {
                error = "could not start the child: " + e.getMessage() + " (" + child.describeExit() + ")";
            }
        }

        NamespaceVariant finish() {
            BacklogReport report = null;
            BlockingConnect blocking = null;
            if (error == null) {
                try {
                    long leftMs = boundMs - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - goNs);
                    if (!child.process().waitFor(Math.max(leftMs, 0), TimeUnit.MILLISECONDS)) {
                        error = "the child JVM did not finish within " + boundMs / 1000 + " s; it was stopped";
                    } else if (child.process().exitValue() != 0) {
                        error = child.describeExit() + ": " + lastLine(stderr);
                    } else {
                        String json = Files.readString(stdout, StandardCharsets.UTF_8);
                        if (spec.blockingConnect()) {
                            blocking = BacklogJson.read(json, BlockingConnect.class);
                        } else {
                            report = BacklogJson.read(json, BacklogReport.class);
                        }
                    }
                } catch (IOException e) {
                    error = "could not read the child's results: " + e.getMessage();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    error = "interrupted";
                }
            }
            close();
            double durationMs = (System.nanoTime() - (goNs != 0 ? goNs : startNs)) / 1e6;
            return new NamespaceVariant(spec.name(), namespace, new LinkedHashMap<>(spec.sysctls()), spec.purpose(),
                    report == null ? null : report.kernelSettings(), report == null ? List.of() : report.trials(),
                    blocking, error, Math.round(durationMs * 100) / 100.0);
        }

        /** Stops the child if it still runs, deletes the namespace and the temp files; idempotent. */
        @Override
        public void close() {
            if (closed) {
                return;
            }
            closed = true;
            Closer.closeQuietly(null, child);
            if (namespaceCreated) {
                try {
                    command("delete the network namespace", ip(), "netns", "del", namespace);
                } catch (IOException e) {
                    String leftover = "the namespace " + namespace + " could not be deleted (" + e.getMessage()
                            + "); delete it with: ip netns del " + namespace;
                    error = error == null ? leftover : error + "; " + leftover;
                }
            }
            for (Path file : new Path[] {stdout, stderr, ready}) {
                if (file != null) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // a temp file we could not delete is left in the temp directory, nothing worse
                    }
                }
            }
        }
    }

    private static String randomName() {
        byte[] bytes = new byte[4];
        RANDOM.nextBytes(bytes);
        return "ipclab-" + HexFormat.of().formatHex(bytes);
    }

    private static String lastLine(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).trim();
                }
            }
        } catch (IOException ignored) {
            // no stderr to show
        }
        return "(no message)";
    }

    /** Runs a short command with a bound; fails with its output when it exits non-zero. */
    public static void command(String what, String... command) throws IOException {
        Path output = Files.createTempFile("ipclab-cmd-", ".out");
        Process process = null;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(COMMAND_WAIT_MS, TimeUnit.MILLISECONDS)) {
                throw new IOException("could not " + what + ": '" + String.join(" ", command) + "' did not finish in "
                        + COMMAND_WAIT_MS / 1000 + " s");
            }
            if (process.exitValue() != 0) {
                throw new IOException("could not " + what + ": '" + String.join(" ", command) + "' said: "
                        + Files.readString(output, StandardCharsets.UTF_8).trim());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while trying to " + what);
        } finally {
            if (process != null) {
                process.destroyForcibly();
            }
            Files.deleteIfExists(output);
        }
    }

    public static boolean isRoot() {
        for (String line : ProcFiles.readIfPresent(Path.of("/proc/self/status")).orElse("").split("\n")) {
            if (line.startsWith("Uid:")) {
                String[] ids = line.substring(4).trim().split("\\s+");
                return ids.length > 1 && ids[1].equals("0");
            }
        }
        return false;
    }

    /** The tool's full path, or null; root's tools often live in /usr/sbin, which a user's PATH may lack. */
    public static String which(String tool) {
        List<String> dirs = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        for (String dir : dirs) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return Path.of(dir, tool).toString();
            }
        }
        return null;
    }

    private static String ip() {
        String ip = which("ip");
        return ip != null ? ip : "ip";
    }

    private static String sysctl() {
        String sysctl = which("sysctl");
        return sysctl != null ? sysctl : "sysctl";
    }

    /** Namespaces of ours that exist right now (for tests and diagnostics): names starting "ipclab-". */
    public static List<String> existingNamespaces() {
        List<String> names = new ArrayList<>();
        File[] entries = new File("/run/netns").listFiles();
        if (entries != null) {
            for (File entry : entries) {
                if (entry.getName().toLowerCase(Locale.ROOT).startsWith("ipclab-")) {
                    names.add(entry.getName());
                }
            }
        }
        return names;
    }
}

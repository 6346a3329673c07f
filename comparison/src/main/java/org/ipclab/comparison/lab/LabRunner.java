package org.ipclab.comparison.lab;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.JvmFlags;
import org.ipclab.report.model.LabRun;
import org.ipclab.report.model.Quantity;
import org.ipclab.socket.lab.LabClient;
import org.ipclab.socket.lab.LabServer;

/**
 * Runs the lab's own program as a student runs it in two terminals: {@link LabServer} in one process, then
 * {@link LabClient} in another, and keeps what each printed. The server gets a free ephemeral port as its first
 * argument (65432 may be taken, e.g. by a student's own server). The server serves until stopped, like the lab's,
 * so once the client is done the harness stops it with SIGTERM; nothing outlives the run.
 */
public final class LabRunner {

    public static final String HOST = "127.0.0.1";
    public static final String EXPECTED_CLIENT_LINE = "Received Hello, world";
    public static final String SERVER_LINE_PREFIX = "Connected by ";

    /** A JVM starts in well under a second; these allow for a machine busy with other work. */
    static final Duration SERVER_START_TIMEOUT = Duration.ofSeconds(15);
    static final Duration CLIENT_TIMEOUT = Duration.ofSeconds(15);
    static final Duration SERVER_LINE_TIMEOUT = Duration.ofSeconds(2);
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(3);
    /** A port found free can be taken by someone else before the server binds it: then try once more. */
    static final int ATTEMPTS = 2;

    private LabRunner() {
    }

    /** Runs server and client once; never throws for a failed run: the result says what went wrong. */
    public static LabRun run(Consumer<String> progress) {
        LabRun last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                last = attempt(progress);
            } catch (IOException e) {
                last = failed(e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return failed("interrupted");
            }
            if (last.ok() || last.serverStart() != null) {
                return last;
            }
        }
        return last;
    }

    private static LabRun attempt(Consumer<String> progress) throws IOException, InterruptedException {
        long startNs = System.nanoTime();
        int port = freePort();
        List<String> serverCommand = command(LabServer.class, port);
        List<String> clientCommand = command(LabClient.class, port);
        progress.accept("lab run: " + String.join(" ", shortForm(serverCommand)));
        try (PrintingChild server = PrintingChild.start("LabServer", serverCommand)) {
            if (!Listening.await(port, server, SERVER_START_TIMEOUT)) {
                boolean running = server.isAlive();
                Integer code = server.terminate(STOP_TIMEOUT);
                String why = running || code == null ? "did not listen on " + HOST + ":" + port + " within "
                        + SERVER_START_TIMEOUT.toSeconds() + " s" : "exited before listening, with " + ChildProcess.describeExitCode(code);
                return new LabRun(HOST, port, shortForm(serverCommand), shortForm(clientCommand), server.lines(), List.of(), code, null,
                        "never served", null, null, ms(startNs), false, server.name() + " " + why);
            }
            Quantity serverStart = Quantity.of(server.millisSinceStart(), "ms");
            progress.accept("lab run: " + String.join(" ", shortForm(clientCommand)));
            Integer clientCode;
            List<String> clientLines;
            Quantity clientTime;
            try (PrintingChild client = PrintingChild.start("LabClient", clientCommand)) {
                boolean exited = client.awaitExit(CLIENT_TIMEOUT);
                clientTime = Quantity.of(client.millisSinceStart(), "ms");
                clientCode = exited ? client.exitCode() : client.terminate(STOP_TIMEOUT);
                clientLines = client.lines();
            }
            boolean greeted = server.awaitLine(line -> line.startsWith(SERVER_LINE_PREFIX), SERVER_LINE_TIMEOUT);
            Integer serverCode = server.terminate(STOP_TIMEOUT);
            // 143 is what a shell shows for a process ended by signal 15: 128 + the signal's number
            String stop = serverCode == null
                    ? "still running " + STOP_TIMEOUT.toSeconds() + " s after the harness's SIGTERM, then killed"
                    : serverCode == 128 + 15
                    ? "128 + 15: the harness stopped it with SIGTERM once the client was done, as it serves until stopped"
                    : "the harness sent SIGTERM once the client was done; it exited with "
                    + ChildProcess.describeExitCode(serverCode);
            List<String> serverLines = server.lines();
            String failure = failure(clientCode, clientLines, greeted, serverLines);
            return new LabRun(HOST, port, shortForm(serverCommand), shortForm(clientCommand), serverLines, clientLines, serverCode, clientCode,
                    stop, serverStart, clientTime, ms(startNs), failure == null, failure);
        }
    }

    private static String failure(Integer clientCode, List<String> clientLines, boolean greeted, List<String> serverLines) {
        List<String> wrong = new ArrayList<>();
        if (clientCode == null || clientCode != 0) {
            wrong.add("the client " + (clientCode == null ? "did not finish within " + CLIENT_TIMEOUT.toSeconds() + " s"
                    : "exited with " + ChildProcess.describeExitCode(clientCode)));
        }
        if (!clientLines.contains(EXPECTED_CLIENT_LINE)) {
            wrong.add("the client printed " + clientLines + ", not '" + EXPECTED_CLIENT_LINE + "'");
        }
        if (!greeted) {
            wrong.add("the server printed " + serverLines + ", no '" + SERVER_LINE_PREFIX.trim() + " ...' line");
        }
        return wrong.isEmpty() ? null : String.join("; ", wrong);
    }

    /**
     * {@code java -cp <where LabServer is> org.ipclab.socket.lab.LabServer <port>}: only the program's own class
     * on the class path (ipc-socket's classes, or ipc-lab.jar), and none of ipc-lab's JVM flags: it needs neither.
     */
    static List<String> command(Class<?> program, int port) {
        return List.of(JvmFlags.javaExecutable(), "-cp", codeLocation(program), program.getName(), Integer.toString(port));
    }

    private static String codeLocation(Class<?> program) {
        try {
            return Path.of(program.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            return System.getProperty("java.class.path");
        }
    }

    /** The command as a reader would type it: java's path and the class path shortened to their file names. */
    public static List<String> shortForm(List<String> command) {
        List<String> out = new ArrayList<>(command);
        out.set(0, "java");
        int cp = out.indexOf("-cp");
        if (cp >= 0 && cp + 1 < out.size()) {
            out.set(cp + 1, Path.of(out.get(cp + 1)).getFileName().toString());
        }
        return out;
    }

    /** bind(2) to port 0: the kernel picks a free ephemeral port; closed at once so the lab server can take it. */
    static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return probe.getLocalPort();
        }
    }

    private static Quantity ms(long startNs) {
        return Quantity.of((System.nanoTime() - startNs) / 1e6, "ms");
    }

    private static LabRun failed(String why) {
        return new LabRun(HOST, 0, List.of(), List.of(), List.of(), List.of(), null, null, "never started", null, null,
                null, false, why);
    }
}

package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab, as a student runs it: the server in one process ("terminal"), the client in another. Also the
 * echo contract with peers that are not ipc-lab: the lab's own Python client against our server, and our
 * client against a plain Python echo server.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TwoTerminalsTest {

    private static final Pattern LISTENING = Pattern.compile("listening on (\\S+):(\\d+)");

    @TempDir
    Path dir;

    /** `./ipc-lab server tcp --port 0` in a JVM of its own, and the port it printed. */
    private record Server(CliProcess process, int port) implements AutoCloseable {
        ChildProcess child() {
            return process.child();
        }

        String readLine() throws InterruptedException {
            return process.readLine();
        }

        @Override
        public void close() throws IOException {
            process.close();
        }
    }

    private static Server startServerProcess(String... extraArgs) throws Exception {
        List<String> args = new ArrayList<>(List.of("server", "tcp", "--port", "0"));
        args.addAll(List.of(extraArgs));
        CliProcess process = CliProcess.start(args.toArray(new String[0]));
        Matcher m = LISTENING.matcher(process.awaitLine("listening on"));
        if (!m.find()) {
            process.close();
            throw new IOException("server did not print its port");
        }
        return new Server(process, Integer.parseInt(m.group(2)));
    }

    @Test
    void serverInOneProcessClientInAnotherPrintsTheEchoAndStopsCleanlyOnSigterm() throws Exception {
        try (Server server = startServerProcess()) {
            Cli.Result client = Cli.run("client", "tcp", "--port", String.valueOf(server.port()), "--message", "Hello, world");
            assertEquals(0, client.exitCode(), client.toString());
            assertTrue(client.out().contains("Received 'Hello, world' (12 bytes) in "), client.toString());

            String connected = server.readLine();
            while (connected != null && connected.startsWith("Press Ctrl-C")) {
                connected = server.readLine();
            }
            assertTrue(connected != null && connected.matches("Connected by /127\\.0\\.0\\.1:\\d+"), "the lab's log line: " + connected);

            /* SIGTERM: the server stops accepting, closes connections and exits 0. (ProcessHandle.destroy, not
             * Process.destroy: the latter also closes our end of the child's stdout, losing its last lines.) */
            server.child().process().toHandle().destroy();
            assertTrue(server.child().process().waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, server.child().process().exitValue(), "exit code after SIGTERM");
            String rest;
            StringBuilder tail = new StringBuilder();
            while ((rest = server.readLine()) != null) {
                tail.append(rest).append('\n');
            }
            assertTrue(tail.toString().contains("Server stopped."), tail.toString());
        }
    }

    @Test
    void theLabsPythonClientGetsItsBytesBackFromOurServer() throws Exception {
        assumeTrue(commandExists("python3"), "needs python3 on the PATH (apt-get install python3)");
        Path client = Files.writeString(dir.resolve("client.py"), """
                import socket, sys
                HOST, PORT = "127.0.0.1", int(sys.argv[1])
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                    s.settimeout(10)
                    s.connect((HOST, PORT))
                    s.sendall(b"Hello, world")
                    data = s.recv(1024)
                print(f"Received {data!r}")
                """);
        try (Server server = startServerProcess()) {
            Process python = new ProcessBuilder("python3", client.toString(), String.valueOf(server.port()))
                    .redirectErrorStream(true).start();
            try (ChildProcess py = new ChildProcess(python, "python client")) {
                String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                assertTrue(python.waitFor(20, TimeUnit.SECONDS));
                assertEquals("Received b'Hello, world'", output);
            }
        }
    }

    @Test
    void ourClientWorksAgainstAPlainPythonEchoServer() throws Exception {
        assumeTrue(commandExists("python3"), "needs python3 on the PATH (apt-get install python3)");
        // RFC 862 echo in a few lines of Python: knows nothing about ipc-lab
        Path server = Files.writeString(dir.resolve("server.py"), """
                import socket, sys
                with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
                    s.bind(("127.0.0.1", 0))
                    s.listen()
                    print(s.getsockname()[1], flush=True)
                    conn, addr = s.accept()
                    with conn:
                        while True:
                            data = conn.recv(65536)
                            if not data:
                                break
                            conn.sendall(data)
                """);
        Process python = new ProcessBuilder("python3", server.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (ChildProcess py = new ChildProcess(python, "python echo server")) {
            BufferedReader out = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
            String port = out.readLine();
            Cli.Result client = Cli.run("client", "tcp", "--port", port, "--size", "3000000", "--count", "2");
            assertEquals(0, client.exitCode(), client.toString());
            assertTrue(client.out().contains("every byte verified"), client.toString());
        }
    }

    @Test
    void aHundredMebibyteMessageIsStreamedAndVerified() throws Exception {
        try (Server server = startServerProcess()) {
            Cli.Result client = Cli.run("client", "tcp", "--port", String.valueOf(server.port()), "--size", "100MiB");
            assertEquals(0, client.exitCode(), client.toString());
            assertTrue(client.out().contains("Echoed 104857600 pseudo-random bytes"), client.toString());
            assertTrue(client.out().contains("every byte verified"), client.toString());
        }
    }

    static boolean commandExists(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, command))) {
                return true;
            }
        }
        return false;
    }
}

package org.ipclab.comparison.cli;

import static org.ipclab.comparison.cli.BadInputTest.assertOneClearLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.EchoServer;
import org.ipclab.core.JvmFlags;
import org.ipclab.core.ServerSettings;
import org.ipclab.queue.chronicle.ChronicleDirectory;
import org.ipclab.queue.chronicle.ChronicleTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * {@code ./ipc-lab server chronicle} in one process, {@code ./ipc-lab client chronicle} in another, as a
 * student runs them: the echo, persistence by hand (send first, start the server later), the temporary
 * directory, the pauser the server reports, and bad input.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChronicleCliTest {

    private static final String EOF = "\u0000EOF";

    @TempDir
    Path tempDir;

    /** {@code ./ipc-lab server chronicle ARGS} in a JVM of its own; returns once its banner is printed. */
    private static Server startServer(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("server", "chronicle"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(JvmFlags.javaCommand(List.of(), "org.ipclab.comparison.IpcLabMain", command))
                .redirectErrorStream(true).start();
        Server server = new Server(new ChildProcess(process, "ipc-lab server chronicle"));
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    server.lines.add(line);
                }
            } catch (IOException e) {
                server.lines.add("(reading the server's output failed: " + e + ")");
            }
            server.lines.add(EOF);
        }, "chronicle-server-stdout");
        reader.setDaemon(true);
        reader.start();
        String line;
        while ((line = server.readLine()) != null) {
            if (line.startsWith("Press Ctrl-C")) {
                return server;
            }
        }
        server.close();
        throw new IOException("the server did not start: " + server.seen);
    }

    static final class Server implements AutoCloseable {
        final ChildProcess child;
        final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        final StringBuilder seen = new StringBuilder();

        Server(ChildProcess child) {
            this.child = child;
        }

        /** The next line, or null at end of output (bounded: 20 s). */
        String readLine() throws InterruptedException {
            String line = lines.poll(20, TimeUnit.SECONDS);
            if (line == null || line.equals(EOF)) {
                return null;
            }
            seen.append(line).append('\n');
            return line;
        }

        /** Reads lines until one contains {@code fragment}; fails with everything seen if none does. */
        String await(String fragment) throws InterruptedException {
            String line;
            while ((line = readLine()) != null) {
                if (line.contains(fragment)) {
                    return line;
                }
            }
            throw new AssertionError("the server never printed '" + fragment + "':\n" + seen);
        }

        /** SIGTERM, as `kill` sends it; returns everything printed until exit. */
        String terminate() throws Exception {
            child.process().toHandle().destroy();
            assertTrue(child.process().waitFor(15, TimeUnit.SECONDS), "the server exits on SIGTERM");
            assertEquals(0, child.process().exitValue(), child.describeExit());
            while (readLine() != null) {
                // collect the rest into seen
            }
            return seen.toString();
        }

        @Override
        public void close() throws IOException {
            child.close();
        }
    }

    @Test
    void serverInOneProcessClientInAnotherAndTheQueueStaysInItsDirectory() throws Exception {
        Path dir = tempDir.resolve("q");
        try (Server server = startServer("--dir", dir.toString())) {
            assertTrue(server.seen.toString().startsWith("ipc-lab chronicle echo server on " + dir + " (pid "), server.seen.toString());
            assertTrue(server.seen.toString().contains("Waiting with the sleepy pauser, LongPauser (sleeps when idle)"), server.seen.toString());
            assertTrue(server.seen.toString().contains("The queue stays in " + dir + " when the server stops"), server.seen.toString());

            Cli.Result client = Cli.run("client", "chronicle", "--dir", dir.toString(), "--message", "Hello, world");
            assertEquals(0, client.exitCode(), client.toString());
            assertTrue(client.out().contains("Received 'Hello, world' (12 bytes) in "), client.toString());
            assertTrue(server.await("opened the queue").matches("Client [0-9a-f]{1,8} \\(pid \\d+\\) opened the queue"), server.seen.toString());
            server.await("finished after 1 message");

            String all = server.terminate();
            assertTrue(all.endsWith("Server stopped.\n"), all);
        }
        try (Stream<Path> files = Files.list(dir.resolve("requests"))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".cq4")), "the queue files stay");
        }
    }

    @Test
    void messagesSentWhileNoServerRunsAreAnsweredWhenItStarts() throws Exception {
        Path dir = tempDir.resolve("q");
        Cli.Result queued = Cli.run("client", "chronicle", "--dir", dir.toString(), "--message", "Are you there?", "--send-only");
        assertEquals(0, queued.exitCode(), queued.toString());
        assertTrue(queued.out().contains("Queued 'Are you there?' (14 bytes) as client "), queued.toString());
        assertTrue(queued.out().contains("No server is serving " + dir), queued.toString());

        // A client that waits: its message is in the queue before any server exists.
        CompletableFuture<Cli.Result> waiting = CompletableFuture.supplyAsync(() ->
                Cli.run("client", "chronicle", "--dir", dir.toString(), "--message", "Hello, later", "--timeout", "40s"));
        awaitRequests(dir, 4);   // HELLO, DATA, BYE of the first client; HELLO and DATA of the second
        try (Server server = startServer("--dir", dir.toString())) {
            assertTrue(server.seen.toString().contains("2 requests from 2 clients were waiting in the queue"), server.seen.toString());
            Cli.Result answered = waiting.get(40, TimeUnit.SECONDS);
            assertEquals(0, answered.exitCode(), answered.toString());
            assertTrue(answered.out().contains("No server is serving " + dir + " right now"), answered.toString());
            assertTrue(answered.out().contains("Received 'Hello, later' (12 bytes)"), answered.toString());
            server.await("Answered the 2 waiting requests");
            server.terminate();
        }
    }

    @Test
    void withoutDirTheQueueIsTemporaryAndTheBusyPauserIsReallyBusy() throws Exception {
        Path made;
        try (Server server = startServer("--pauser", "busy")) {
            String banner = server.seen.toString();
            assertTrue(banner.contains("Waiting with the busy pauser, BusyPauser (spins)"), banner);
            assertTrue(banner.contains("The queue directory is temporary: it is removed when the server stops"), banner);
            String first = banner.lines().findFirst().orElseThrow();
            made = Path.of(first.substring(first.indexOf(" on ") + 4, first.indexOf(" (pid ")));
            assertTrue(Files.isDirectory(made.resolve("requests")), made.toString());

            Cli.Result client = Cli.run("client", "chronicle", "--dir", made.toString(), "--size", "100KiB", "--count", "3");
            assertEquals(0, client.exitCode(), client.toString());
            assertTrue(client.out().contains("every byte verified"), client.toString());
            server.terminate();
        }
        assertFalse(Files.exists(made), made + " is removed when the server stops");
    }

    @Test
    void noServerAndNoPatienceSaysWhy() {
        Path dir = tempDir.resolve("q");
        Cli.Result result = Cli.run("client", "chronicle", "--dir", dir.toString(), "--timeout", "500ms");
        assertEquals(ExitCodes.FAILED, result.exitCode(), result.toString());
        assertEquals(1, result.err().lines().count(), result.toString());
        assertTrue(result.err().contains("no echo for 500 ms") && result.err().contains("no server is serving " + dir),
                result.toString());
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        assertOneClearLine(Cli.run("server", "chronicle", "--pauser", "fast"),
                "unknown pauser 'fast': choose one of busy, sleepy (--pauser)");
        assertOneClearLine(Cli.run("client", "chronicle", "--message", "hi"), "--dir");
        Path file = Files.writeString(tempDir.resolve("plain.txt"), "not a directory");
        assertOneClearLine(Cli.run("server", "chronicle", "--dir", file.toString()), "exists and is not a directory", "--dir");
        assertOneClearLine(Cli.run("client", "chronicle", "--dir", file.resolve("q").toString()),
                "cannot create the queue directory", "--dir");
        Path dir = tempDir.resolve("taken");
        try (EchoServer first = new ChronicleTransport().serve(dir.toString(), ServerSettings.defaults())) {
            assertOneClearLine(Cli.run("server", "chronicle", "--dir", dir.toString()),
                    "another chronicle server (pid " + ProcessHandle.current().pid() + ") is already serving " + dir);
        }
    }

    /** Waits until the requests queue of {@code dir} holds at least {@code count} excerpts. */
    private static void awaitRequests(Path dir, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (Files.isDirectory(dir.resolve("requests")) && countRequests(dir) >= count) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the waiting client never appended its request");
    }

    private static long countRequests(Path dir) {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir.resolve(ChronicleDirectory.REQUESTS))
                .blockSize(ChronicleDirectory.BLOCK_BYTES).readOnly(true).build();
             ExcerptTailer tailer = queue.createTailer()) {
            long n = 0;
            while (true) {
                try (DocumentContext dc = tailer.readingDocument()) {
                    if (!dc.isPresent()) {
                        return n;
                    }
                    n++;
                }
            }
        }
    }
}

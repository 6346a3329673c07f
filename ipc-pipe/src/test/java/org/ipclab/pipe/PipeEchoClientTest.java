package org.ipclab.pipe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import jnr.constants.platform.Signal;

import org.ipclab.core.EchoServer;
import org.ipclab.core.JvmFlags;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.Transports;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the contract kit does not cover: a child that dies, stays silent, stops reading, or was never there. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeEchoClientTest {

    private static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        return bytes;
    }

    @ParameterizedTest(name = "child: {0}")
    @ValueSource(strings = {"java", "cat"})
    void childKilledWithSigkillMidMessageIsReportedWithHowItDied(String endpoint) throws Exception {
        int size = 4 * 1024 * 1024;   // far more than the two pipes and the child's buffer hold
        byte[] message = randomBytes(size);
        byte[] echo = new byte[size];
        try (PipeEchoClient client = PipeEchoClient.start(ChildCommand.parse(endpoint), Duration.ofSeconds(10))) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    client.send(message, 0, size);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            client.receive(echo, 0, 100_000);   // the echo is under way: we are in the middle of the message

            assertEquals(0, Posix.posix().kill((int) client.childPid(), Signal.SIGKILL.intValue()));
            long start = System.nanoTime();
            IOException failure = assertThrows(IOException.class, () -> client.receive(echo, 100_000, size - 100_000));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            String text = failure.getMessage();
            assertTrue(text.contains("echo child exited with code 137 (killed by SIGKILL)"), text);
            assertTrue(text.contains("of " + (size - 100_000) + " echoed bytes"), "says how far the echo got: " + text);
            assertTrue(elapsedMs < 5_000, "reported within the timeout, not at it: " + elapsedMs + " ms");
            assertArrayEquals(java.util.Arrays.copyOf(message, 100_000), java.util.Arrays.copyOf(echo, 100_000));

            ExecutionException sendFailure = assertThrows(ExecutionException.class, () -> sending.get(10, TimeUnit.SECONDS));
            assertTrue(sendFailure.getCause().getMessage().contains("killed by SIGKILL"), sendFailure.getCause().getMessage());
        }
    }

    @Test
    void childThatExitsAtOnceIsReportedWithItsExitCode() throws IOException {
        try (PipeEchoClient client = PipeEchoClient.start(ChildCommand.parse("sh -c 'exit 3'"), Duration.ofSeconds(10))) {
            byte[] back = new byte[5];
            IOException failure = assertThrows(IOException.class,
                    () -> client.roundTrip("hello".getBytes(StandardCharsets.US_ASCII), back, 5));
            assertTrue(failure.getMessage().contains("echo child exited with code 3"), failure.getMessage());
        }
    }

    @Test
    void silentChildIsKilledAtTheTimeoutAndTheErrorSaysSo() throws Exception {
        // sh stays in between (`; :` stops it from exec'ing sleep): the grandchild holds the pipes too
        try (PipeEchoClient client = PipeEchoClient.start(ChildCommand.parse("sh -c 'sleep 30; :'"), Duration.ofMillis(500))) {
            long pid = client.childPid();
            List<ProcessHandle> family = new ArrayList<>();
            ProcessHandle.of(pid).ifPresent(family::add);
            waitUntil(() -> ProcessHandle.of(pid).map(h -> h.children().count() > 0).orElse(false));
            ProcessHandle.of(pid).ifPresent(h -> h.children().forEach(family::add));

            long start = System.nanoTime();
            byte[] back = new byte[1];
            IOException failure = assertThrows(IOException.class, () -> client.roundTrip(new byte[] {7}, back, 1));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(failure.getMessage().contains("no echo for 500 ms"), failure.getMessage());
            assertTrue(elapsedMs >= 450 && elapsedMs < 3_000, "bounded by the timeout: " + elapsedMs + " ms");
            for (ProcessHandle process : family) {
                waitUntil(() -> !process.isAlive());
                assertFalse(process.isAlive(), "pid " + process.pid() + " must be gone");
            }
        }
    }

    @Test
    void childThatNeverReadsMakesSendFailAtTheTimeout() throws IOException {
        try (PipeEchoClient client = PipeEchoClient.start(ChildCommand.parse("sleep 30"), Duration.ofMillis(500))) {
            byte[] big = new byte[1024 * 1024];
            long start = System.nanoTime();
            IOException failure = assertThrows(IOException.class, () -> client.send(big, 0, big.length));
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(failure.getMessage().contains("could not send for 500 ms"), failure.getMessage());
            assertTrue(elapsedMs < 3_000, elapsedMs + " ms");
        }
    }

    @Test
    void closeWhileAWriteIsBlockedEndsTheChildPromptly() throws Exception {
        PipeEchoClient client = PipeEchoClient.start(ChildCommand.parse("cat"), Duration.ofSeconds(20));
        long pid = client.childPid();
        byte[] big = new byte[1024 * 1024];
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            try {
                client.send(big, 0, big.length);   // blocks: nobody reads the echo
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        TimeUnit.MILLISECONDS.sleep(300);
        long start = System.nanoTime();
        client.close();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        // closing our read end first: cat's next write gets SIGPIPE, so there is no 2 s wait for SIGTERM
        assertTrue(elapsedMs < 1_500, "close took " + elapsedMs + " ms");
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "cat must be gone");
        assertThrows(ExecutionException.class, () -> sending.get(10, TimeUnit.SECONDS));
        client.close();
    }

    @Test
    void closeLeavesNoChildBehind() throws IOException {
        PipeEchoClient client = PipeEchoClient.start(ChildCommand.parse(ChildCommand.JVM), Duration.ofSeconds(20));
        byte[] back = new byte[2];
        client.roundTrip(new byte[] {1, 2}, back, 2);
        Optional<ProcessHandle> child = ProcessHandle.of(client.childPid());
        assertTrue(child.isPresent() && child.get().isAlive());
        client.close();
        assertFalse(child.get().isAlive(), "the echo child must not outlive its client");
    }

    @Test
    void unknownProgramIsAClearErrorBeforeAnythingStarts() {
        IOException failure = assertThrows(IOException.class,
                () -> PipeEchoClient.start(ChildCommand.parse("no-such-echo-program-xyz"), Duration.ofSeconds(5)));
        assertTrue(failure.getMessage().contains("'no-such-echo-program-xyz': no such program on PATH; check --child"),
                failure.getMessage());
    }

    @Test
    void theJvmChildsStdoutCarriesNothingButEchoesEvenWhenTheJvmWarns() throws Exception {
        // -XX:+UseLargePages on a machine without huge pages makes HotSpot print a warning, to stdout by default
        List<String> warnFlags = List.of("-XX:+UseLargePages", "-XX:LargePageSizeInBytes=1g");
        String plain = runWithNoInput(JvmFlags.javaCommand(warnFlags, EchoChildMain.class.getName(), List.of()));
        assumeTrue(!plain.isEmpty(), "needs a JVM that warns about -XX:+UseLargePages at start-up (one on a machine without 1 GiB huge pages): this one printed nothing to redirect");

        List<String> flags = new ArrayList<>(warnFlags);
        flags.addAll(ChildCommand.JVM_CHILD_FLAGS);
        String ours = runWithNoInput(JvmFlags.javaCommand(flags, EchoChildMain.class.getName(), List.of()));
        assertEquals("", ours, "the echo channel must stay clean; without our flags it carried: " + plain);
    }

    private static String runWithNoInput(List<String> command) throws Exception {
        Process process = new ProcessBuilder(command).redirectInput(Redirect.from(new File("/dev/null")))
                .redirectError(Redirect.DISCARD).start();
        try (org.ipclab.core.ChildProcess child = new org.ipclab.core.ChildProcess(process, "echo child")) {
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(process.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, process.exitValue(), "end of file on stdin is a normal exit");
            return out;
        }
    }

    @Test
    void theTransportIsFoundByIdAndServeOnlyChecksTheCommand() throws IOException {
        PipeTransport pipe = (PipeTransport) Transports.byId("pipe");
        assertTrue(pipe.clientSpawnsPeer());
        try (EchoServer server = pipe.serve("cat", ServerSettings.defaults())) {
            assertEquals("cat", server.endpoint());
            server.close();
        }
        assertEquals(ChildCommand.JVM, pipe.serve("", ServerSettings.defaults()).endpoint());
        IOException missing = assertThrows(IOException.class, () -> pipe.serve("no-such-echo-program-xyz", ServerSettings.defaults()));
        assertTrue(missing.getMessage().contains("no such program"), missing.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pipe.serve("sh -c 'exit 3", ServerSettings.defaults()));
    }

    @Test
    void commandLinesSplitLikeASimpleShell() {
        assertEquals(List.of("cat"), ChildCommand.split("cat"));
        assertEquals(List.of("sh", "-c", "exit 3"), ChildCommand.split("  sh -c 'exit 3' "));
        assertEquals(List.of("printf", "a \"b\" c"), ChildCommand.split("printf \"a \\\"b\\\" c\""));
        assertEquals(List.of("a b", "c"), ChildCommand.split("a\\ b c"));
        assertEquals(List.of(""), ChildCommand.split("''"));
        IllegalArgumentException unbalanced = assertThrows(IllegalArgumentException.class, () -> ChildCommand.split("sh -c 'x"));
        assertTrue(unbalanced.getMessage().contains("unbalanced '"), unbalanced.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ChildCommand.split("   "));
        assertTrue(ChildCommand.parse("").jvmChild());
        assertTrue(ChildCommand.parse(" java ").jvmChild());
        assertFalse(ChildCommand.parse("java -version").jvmChild());
    }

    private static void waitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(10);
        }
    }
}

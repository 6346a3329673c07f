package org.ipclab.queue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.NoPeerException;
import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import jnr.ffi.Pointer;

/**
 * What the contract kit does not cover: queues outlive processes. Servers and clients remove theirs; a
 * server killed with SIGKILL leaves its queue, which the next server on that name detects and removes; a
 * client that dies has its queue removed by the server; nobody waits forever for a peer that is gone.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@SuppressWarnings("try")   // try-with-resources keeps servers and queues open for a block, then closes them
class PosixMqLifecycleTest {

    private static final Duration SHORT = Duration.ofMillis(1000);

    private final PosixMqTransport mq = new PosixMqTransport();

    @TempDir
    Path dir;

    @BeforeAll
    static void queuesAvailable() {
        assumeTrue(MqNative.unavailableReason().isEmpty(), () -> "needs POSIX message queues (Linux, libc mq_open): " + MqNative.unavailableReason().orElse(""));
    }

    /** Every queue these tests made, killed servers' included, is gone afterwards. */
    @AfterAll
    static void noQueueIsLeftBehind() throws InterruptedException {
        assertEquals(List.of(), MqTestSupport.leftoverQueues("ipclab-test-" + ProcessHandle.current().pid() + "-"));
    }

    private ForkedPeer startForked(String name, Path log) throws IOException {
        return ForkedPeer.start(mq, name, ForkedPeer.Options.defaults().withStderr(Redirect.appendTo(log.toFile())));
    }

    private static void roundTrip(EchoClient client, int size) throws IOException {
        byte[] sent = new byte[size];
        new java.util.Random(size).nextBytes(sent);
        byte[] echoed = new byte[size];
        client.roundTrip(sent, echoed, size);
        assertArrayEquals(sent, echoed);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within, String what) throws InterruptedException {
        awaitTrue(condition, within, () -> what);
    }

    private static void awaitTrue(BooleanSupplier condition, Duration within, Supplier<String> what) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, () -> what.get() + " within " + within.toMillis() + " ms");
            Thread.sleep(20);
        }
    }

    @Test
    void aClientWithNoServerFailsAtOnceWithNoPeerException() {
        String name = MqTestSupport.uniqueServerName();
        long start = System.nanoTime();
        NoPeerException e = assertThrows(NoPeerException.class,
                () -> mq.connect(name, ClientSettings.defaults().withTimeout(Duration.ofSeconds(10))));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "mq_open fails at once with ENOENT");
        assertTrue(e.getMessage().contains("no posix-mq server named '" + name + "'"), e.getMessage());
    }

    @Test
    void everyQueueIsRemovedWhenTheClientAndTheServerClose() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        String requests = MqNames.requestQueue(name);
        String responses;
        try (ForkedPeer peer = startForked(name, dir.resolve("server.log"))) {
            assertTrue(MqQueue.exists(requests));
            try (PosixMqEchoClient client = (PosixMqEchoClient) peer.connect()) {
                responses = client.responseQueueName();
                assertTrue(MqQueue.exists(responses));
                roundTrip(client, 100_000);
            }
            assertFalse(MqQueue.exists(responses), "the client removes its queue on close");
            assertTrue(MqQueue.exists(requests), "the server still runs");
        }
        assertFalse(MqQueue.exists(requests), "the server removes its queue when it stops (mq_open now fails ENOENT)");
        String log = Files.readString(dir.resolve("server.log"));
        assertTrue(log.contains("Closed client pid " + ProcessHandle.current().pid() + ": the client finished sending and every byte was echoed (100000 bytes)"), log);
        assertTrue(log.contains("Removed queue " + requests), log);
    }

    @Test
    void sigtermStopsTheServerCleanlyAndRemovesItsQueue() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        try (ForkedPeer peer = startForked(name, dir.resolve("server.log"))) {
            peer.child().process().destroy();   // SIGTERM: the JVM runs its shutdown hooks, which close the server
            assertTrue(peer.child().process().waitFor(10, TimeUnit.SECONDS));
        }
        assertFalse(MqQueue.exists(MqNames.requestQueue(name)));
    }

    @Test
    void aServerKilledWithSigkillLeavesItsQueueAndTheNextServerRemovesIt() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        String requests = MqNames.requestQueue(name);
        Path log = dir.resolve("server.log");
        try (ForkedPeer crashed = startForked(name, log);
             EchoClient client = crashed.connect(ClientSettings.defaults().withTimeout(Duration.ofSeconds(20)))) {
            roundTrip(client, 1000);
            crashed.child().process().destroyForcibly();   // SIGKILL: no shutdown hook runs, nothing is cleaned up
            assertTrue(crashed.child().process().waitFor(10, TimeUnit.SECONDS));

            assertTrue(MqQueue.exists(requests), "the queue outlives the killed server");

            // a connected client notices within a liveness slice, not after its 20 s timeout
            long start = System.nanoTime();
            IOException died = assertThrows(IOException.class, () -> roundTrip(client, 1000));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "noticed in " + (System.nanoTime() - start) / 1_000_000 + " ms");
            assertTrue(died.getMessage().contains("(pid " + crashed.pid() + ") has exited"), died.getMessage());
        }

        // a new client finds the queue, but nobody answers: bounded by its timeout, and a clear NoPeerException
        long start = System.nanoTime();
        NoPeerException stale = assertThrows(NoPeerException.class,
                () -> mq.connect(name, ClientSettings.defaults().withTimeout(SHORT)));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        assertTrue(stale.getMessage().contains("did not answer within 1000 ms") && stale.getMessage().contains("nobody serves it"),
                stale.getMessage());

        try (ForkedPeer restarted = startForked(name, log);
             EchoClient client = restarted.connect()) {
            roundTrip(client, 50_000);
        }
        String text = Files.readString(log);
        assertTrue(text.contains("Removed stale queue " + requests + ": no server answered"), text);
        assertFalse(MqQueue.exists(requests));
    }

    @Test
    void aSecondServerOnALiveNameIsRefused() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        try (PosixMqEchoServer first = PosixMqEchoServer.open(name, ServerSettings.defaults())) {
            IOException e = assertThrows(IOException.class, () -> PosixMqEchoServer.open(name, ServerSettings.defaults()));
            assertTrue(e.getMessage().contains("another posix-mq server (pid " + ProcessHandle.current().pid()
                    + ") is already serving '" + name + "'"), e.getMessage());
            try (EchoClient client = mq.connect(name, ClientSettings.defaults())) {
                roundTrip(client, 10);   // the first server was not disturbed
            }
        }
    }

    /** A client that dies without END: the server sees its pid is gone and removes its response queue. */
    @Test
    void theServerRemovesTheQueueOfAClientThatDied() throws Exception {
        Process shortLived = new ProcessBuilder("true").start();
        assertTrue(shortLived.waitFor(10, TimeUnit.SECONDS));
        int deadPid = (int) shortLived.pid();

        String name = MqTestSupport.uniqueServerName();
        List<String> log = new CopyOnWriteArrayList<>();
        try (PosixMqEchoServer server = PosixMqEchoServer.open(name, ServerSettings.defaults().withLog(log::add))) {
            // play the part of that client: its response queue, and a HELLO in its name
            String responses = MqNames.responseQueue(name, deadPid, 0);
            try {
                try (MqQueue own = MqQueue.create(responses, MqNative.O_RDONLY, 2, 64);
                     MqQueue requests = MqQueue.open(MqNames.requestQueue(name), MqNative.O_WRONLY)) {
                    Pointer hello = MqNative.allocate(MqFrame.HELLO_BYTES);
                    MqFrame.writeHello(hello, deadPid, 0);
                    assertEquals(0, requests.send(hello, MqFrame.HELLO_BYTES, MqFrame.HELLO_PRIORITY,
                            new MqDeadline().at(System.currentTimeMillis() + 5000)));
                }
                awaitTrue(() -> !MqQueue.exists(responses), Duration.ofSeconds(5),
                        () -> "the dead client's queue is removed (server log: " + log + ")");
                awaitTrue(() -> log.stream().anyMatch(line -> line.equals("Client pid " + deadPid
                        + " exited without closing; removed its queue " + responses)), Duration.ofSeconds(5), log::toString);
            } finally {
                MqQueue.unlink(responses);   // if the test failed, the queue would outlive it
            }
        }
    }

    @Test
    void aClientBeyondMaxConnectionsIsRefusedWithAClearMessage() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        List<String> log = new CopyOnWriteArrayList<>();
        try (PosixMqEchoServer server = PosixMqEchoServer.open(name,
                ServerSettings.defaults().withMaxConnections(1).withLog(log::add));
             EchoClient first = mq.connect(name, ClientSettings.defaults())) {
            IOException e = assertThrows(IOException.class, () -> mq.connect(name, ClientSettings.defaults()));
            assertTrue(e.getMessage().contains("refused this client") && e.getMessage().contains("--max-connections"),
                    e.getMessage());
            roundTrip(first, 10);
            awaitTrue(() -> log.stream().anyMatch(line -> line.startsWith("Refused client pid ")), Duration.ofSeconds(5), log::toString);
        }
    }

    @Test
    void anIdleClientIsClosedAndItsNextReceiveSaysTheEchoEnded() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        List<String> log = new CopyOnWriteArrayList<>();
        try (PosixMqEchoServer server = PosixMqEchoServer.open(name,
                ServerSettings.defaults().withIdleTimeout(Duration.ofMillis(300)).withLog(log::add));
             EchoClient client = mq.connect(name, ClientSettings.defaults())) {
            roundTrip(client, 10);
            awaitTrue(() -> log.stream().anyMatch(line -> line.endsWith(": idle for more than 300 ms")),
                    Duration.ofSeconds(5), "the server closes the idle client");
            IOException e = assertThrows(IOException.class, () -> roundTrip(client, 10));
            assertTrue(e.getMessage().contains("ended the echo after 0 of 10 bytes"), e.getMessage());
        }
    }

    /**
     * A message still queued at the priority of a client that has gone must never reach another client: it is
     * dropped, and priorities are handed out in turn, so a freed one is not reused at once.
     */
    @Test
    void aMessageAtTheClosedClientsPriorityIsDroppedNotEchoedToTheNextClient() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        List<String> log = new CopyOnWriteArrayList<>();
        try (PosixMqEchoServer server = PosixMqEchoServer.open(name, ServerSettings.defaults().withLog(log::add))) {
            int gone;
            try (PosixMqEchoClient first = PosixMqEchoClient.connect(name, Duration.ofSeconds(10), 0)) {
                gone = first.priority();
                roundTrip(first, 10);
            }
            try (MqQueue requests = MqQueue.open(MqNames.requestQueue(name), MqNative.O_WRONLY)) {
                Pointer straggler = MqNative.allocate(5);
                assertEquals(0, requests.send(straggler, 5, gone, new MqDeadline().at(System.currentTimeMillis() + 5000)));
            }
            try (PosixMqEchoClient next = PosixMqEchoClient.connect(name, Duration.ofSeconds(10), 0)) {
                assertTrue(next.priority() != gone, "priority " + gone + " was handed out again at once");
                roundTrip(next, 3000);   // byte-exact: the 5 straggling bytes did not land here
            }
            assertTrue(log.contains("Dropped a 5-byte message at priority " + gone + ": no client holds that priority"
                    + " (one that was closed or died, or a sender that is not an ipc-lab client)"), log.toString());
        }
    }

    /** A server that answers HELLO and then neither reads nor echoes: every wait of the client is still bounded. */
    @Test
    void aServerThatStopsAnsweringCostsTheClientItsTimeoutAndAClearErrorNoMore() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        String requestName = MqNames.requestQueue(name);
        try (MqQueue requests = MqQueue.create(requestName, MqNative.O_RDWR, 10, 8192)) {
            Thread silent = new Thread(() -> answerOneHelloThenFallSilent(name, requests), "silent-server");
            silent.start();
            try (PosixMqEchoClient client = PosixMqEchoClient.connect(name, Duration.ofMillis(500), 0)) {
                silent.join(5000);
                byte[] buffer = new byte[200_000];
                client.send(buffer, 0, 1);
                long start = System.nanoTime();
                IOException noEcho = assertThrows(IOException.class, () -> client.receive(buffer, 0, 1));
                assertTrue(noEcho.getMessage().contains("no echo for 500 ms (0 of 1 bytes came back) although the server (pid "
                        + ProcessHandle.current().pid() + ") is alive"), noEcho.getMessage());
                // 24 more messages into a queue of 10 that nobody reads: the send gives up too
                IOException full = assertThrows(IOException.class, () -> client.send(buffer, 0, buffer.length));
                assertTrue(full.getMessage().contains("could not send for 500 ms"), full.getMessage());
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "both waits bounded by 500 ms each");
            }
        } finally {
            MqQueue.unlink(requestName);
        }
    }

    private static void answerOneHelloThenFallSilent(String name, MqQueue requests) {
        Pointer message = MqNative.allocate(requests.messageBytes);
        Pointer priority = MqNative.allocate(4);
        MqDeadline deadline = new MqDeadline();
        if (requests.receive(message, requests.messageBytes, priority, deadline.at(System.currentTimeMillis() + 5000))
                != MqFrame.HELLO_BYTES) {
            return;
        }
        String responses = MqNames.responseQueue(name, message.getInt(MqFrame.CLIENT_PID), message.getInt(MqFrame.CLIENT_SEQ));
        try (MqQueue client = MqQueue.open(responses, MqNative.O_WRONLY)) {
            Pointer ack = MqNative.allocate(MqFrame.ACK_BYTES);
            MqFrame.writeAck(ack, MqNative.pid(), MqFrame.STATUS_ACCEPTED, 5);
            client.send(ack, MqFrame.ACK_BYTES, 0, deadline.at(System.currentTimeMillis() + 5000));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A client's END is handled before the next client's HELLO, even when both wait in the queue: otherwise a
     * program that connects and closes in a loop (the set-up cost benchmark) makes the server keep old response
     * queues open, each charged to RLIMIT_MSGQUEUE, until mq_open fails with EMFILE. (It did, after ~4,500
     * rounds, when HELLO had the highest priority.) To get both messages waiting, a third client stalls the
     * server by not reading its echo.
     */
    @Test
    void aWaitingEndIsHandledBeforeAWaitingHello() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        List<String> log = new CopyOnWriteArrayList<>();
        ExecutorService background = Executors.newSingleThreadExecutor();
        try (PosixMqEchoServer server = PosixMqEchoServer.open(name, ServerSettings.defaults().withLog(log::add));
             PosixMqEchoClient staller = PosixMqEchoClient.connect(name, Duration.ofSeconds(20), 0);
             MqQueue requests = MqQueue.open(MqNames.requestQueue(name), MqNative.O_RDONLY)) {
            PosixMqEchoClient leaving = PosixMqEchoClient.connect(name, Duration.ofSeconds(20), 0);
            long pid = ProcessHandle.current().pid();   // all three clients are in this JVM

            // 11 messages, none read back: 10 fill the staller's response queue, the server waits to send the 11th
            byte[] stall = new byte[11 * staller.maxPayloadBytes()];
            staller.send(stall, 0, stall.length);
            try (MqQueue stalled = MqQueue.open(staller.responseQueueName(), MqNative.O_RDONLY)) {
                awaitTrue(() -> currentMessages(stalled) == stalled.maxMessages, Duration.ofSeconds(5), "the server stalls");
            }
            leaving.finishSending();   // END, queued
            leaving.close();
            Future<PosixMqEchoClient> arriving = background.submit(() -> PosixMqEchoClient.connect(name, Duration.ofSeconds(20), 0));
            awaitTrue(() -> currentMessages(requests) == 2, Duration.ofSeconds(5), "END and HELLO wait in the queue");

            staller.receive(stall, 0, stall.length);   // the server moves on
            try (PosixMqEchoClient next = arriving.get(10, TimeUnit.SECONDS)) {
                roundTrip(next, 10);
            }
            int leavingClosed = firstIndexOf(log, "Closed client pid " + pid + ": the client finished sending");
            int nextConnected = lastIndexOf(log, "Connected by client pid " + pid);
            assertTrue(leavingClosed >= 0 && leavingClosed < nextConnected, "END before the next HELLO: " + log);
        } finally {
            background.shutdownNow();
        }
    }

    private static long currentMessages(MqQueue queue) {
        try {
            return queue.attributes().currentMessages();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static int firstIndexOf(List<String> lines, String prefix) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<String> lines, String prefix) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(prefix)) {
                return i;
            }
        }
        return -1;
    }

    /** When RLIMIT_MSGQUEUE has no room for a full response queue, the client takes a shallower one and works. */
    @Test
    void aClientTakesAShallowerResponseQueueWhenTheLimitIsTight() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        List<String> log = new CopyOnWriteArrayList<>();
        try (PosixMqEchoServer server = PosixMqEchoServer.open(name, ServerSettings.defaults().withLog(log::add))) {
            long held = MqTestSupport.bytesHeldByThisUser();   // the server's queue, and whatever else this user holds
            MqTestSupport.withMessageQueueLimit(held + MqLimits.bytesPerQueue(5, 8192), () -> {
                try (PosixMqEchoClient client = PosixMqEchoClient.connect(name, Duration.ofSeconds(10), 0)) {
                    assertEquals(5, client.responseQueueDepth(), "10 messages do not fit; 5 do");
                    roundTrip(client, 200_000);
                }
            });
            awaitTrue(() -> log.stream().anyMatch(line -> line.startsWith("Connected by client pid ") && line.endsWith(" of 5 messages)")),
                    Duration.ofSeconds(5), log::toString);
        }
    }

    @Test
    void hittingRlimitMsgqueueGivesAClearError() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        try (PosixMqEchoServer server = PosixMqEchoServer.open(name, ServerSettings.defaults())) {
            // The server's queue is already charged to this user; a limit of one queue leaves no room for the client's.
            MqTestSupport.withMessageQueueLimit(MqLimits.bytesPerQueue(10, 8192), () -> {
                IOException e = assertThrows(IOException.class, () -> mq.connect(name, ClientSettings.defaults()));
                assertTrue(e.getMessage().contains("RLIMIT_MSGQUEUE") && e.getMessage().contains("ulimit -q"), e.getMessage());
                assertFalse(e instanceof NoPeerException, "the server is there; the limit is the problem");
            });
        }
    }

    @Test
    void queueSizesBeyondTheKernelLimitsAreRefusedWithTheLimitsNamed() {
        MqLimits limits = MqLimits.read();
        assumeTrue(limits.msgsizeMax() > 0 && limits.msgMax() > 0, "needs a readable /proc/sys/fs/mqueue/msg_max and msgsize_max (mount /proc with the mqueue sysctls)");
        String name = MqTestSupport.uniqueServerName();
        for (Map<String, String> options : List.of(
                Map.of(PosixMqTransport.OPTION_MESSAGE_SIZE, String.valueOf(limits.msgsizeMax() + 1)),
                Map.of(PosixMqTransport.OPTION_MAX_MESSAGES, String.valueOf(limits.msgMax() + 1)))) {
            IOException e = assertThrows(IOException.class,
                    () -> mq.serve(name, ServerSettings.defaults().withOptions(options)).close(),
                    "this process may exceed the limits (CAP_SYS_RESOURCE)?");
            assertTrue(e.getMessage().contains("EINVAL") && e.getMessage().contains("fs.mqueue.msg_max " + limits.msgMax()),
                    e.getMessage());
        }
        assertFalse(MqQueue.exists(MqNames.requestQueue(name)));
    }

    /** Small queue messages: one echo is split into thousands of messages and put back together in order. */
    @Test
    void echoesLargerThanTheMessageSizeAreSplitAndReassembled() throws Exception {
        String name = MqTestSupport.uniqueServerName();
        ServerSettings settings = ServerSettings.defaults().withOptions(Map.of(PosixMqTransport.OPTION_MESSAGE_SIZE, "64",
                PosixMqTransport.OPTION_MAX_MESSAGES, "4"));
        try (PosixMqEchoServer server = PosixMqEchoServer.open(name, settings);
             PosixMqEchoClient client = (PosixMqEchoClient) mq.connect(name, ClientSettings.defaults())) {
            assertEquals(64, client.maxPayloadBytes(), "data messages carry no header");
            roundTrip(client, 200_000);   // 3,125 messages each way
            roundTrip(client, 1);
        }
    }

    @Test
    void badServerNamesAreRefusedBeforeAnyQueueIsMade() {
        for (String bad : List.of("", "a/b", "white space", "x".repeat(65))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> mq.serve(bad, ServerSettings.defaults()));
            assertTrue(e.getMessage().contains("is not valid"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> mq.connect(bad, ClientSettings.defaults()));
        }
    }
}

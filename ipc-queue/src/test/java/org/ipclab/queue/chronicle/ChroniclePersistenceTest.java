package org.ipclab.queue.chronicle;

import static org.ipclab.queue.chronicle.ChronicleTestSupport.awaitInLog;
import static org.ipclab.queue.chronicle.ChronicleTestSupport.firstLine;
import static org.ipclab.queue.chronicle.ChronicleTestSupport.kill9;
import static org.ipclab.queue.chronicle.ChronicleTestSupport.occurrences;
import static org.ipclab.queue.chronicle.ChronicleTestSupport.read;
import static org.ipclab.queue.chronicle.ChronicleTestSupport.responsesByClientAndSeq;
import static org.ipclab.queue.chronicle.ChronicleTestSupport.startJava;
import static org.ipclab.queue.chronicle.ChronicleTestSupport.startServer;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.ClientSettings;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a persisted queue adds to an echo: requests survive a server that is down, and a server killed
 * with SIGKILL and restarted answers every request exactly once as the clients see it.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChroniclePersistenceTest {

    private static final ClientSettings PATIENT = ClientSettings.defaults().withTimeout(Duration.ofSeconds(30));

    @TempDir
    Path tempDir;

    @Test
    void requestsWrittenWhileNoServerRunsAreAllAnsweredWhenItStarts() throws Exception {
        Path dir = tempDir.resolve("q");
        Path log = tempDir.resolve("server.log");
        int[] sizes = {1, 100, 4096, 65_536, 1 << 20};
        try (ChronicleEchoClient a = ChronicleEchoClient.connect(dir, PATIENT);
             ChronicleEchoClient b = ChronicleEchoClient.connect(dir, PATIENT)) {
            List<byte[]> sentByA = new ArrayList<>();
            List<byte[]> sentByB = new ArrayList<>();
            for (int size : sizes) {
                sentByA.add(send(a, size, size));
                sentByB.add(send(b, size, -size));
            }
            // A client that leaves before any server runs: its request is answered all the same.
            try (ChronicleEchoClient leaver = ChronicleEchoClient.connect(dir, PATIENT)) {
                send(leaver, 10, 7);
            }
            // Nothing comes back while no server runs, and the error says why.
            try (ChronicleEchoClient impatient = ChronicleEchoClient.connect(dir,
                    ClientSettings.defaults().withTimeout(Duration.ofMillis(300)))) {
                send(impatient, 1, 1);
                IOException noServer = assertThrows(IOException.class, () -> impatient.receive(new byte[1], 0, 1));
                assertTrue(noServer.getMessage().contains("no server is serving"), noServer.getMessage());
            }

            try (ForkedPeer server = startServer(dir, log)) {
                for (int i = 0; i < sizes.length; i++) {
                    assertArrayEquals(sentByA.get(i), receive(a, sizes[i]), "client a, message " + i);
                    assertArrayEquals(sentByB.get(i), receive(b, sizes[i]), "client b, message " + i);
                }
                assertEquals(0, a.duplicatesDropped() + b.duplicatesDropped());
                // logged when the echo thread first finds the queue empty, just after the last echo
                String serverLog = awaitInLog(log, "Answered the 12 waiting requests");
                assertTrue(serverLog.contains("12 requests from 4 clients were waiting in the queue"), serverLog);
                assertTrue(serverLog.contains("Answered the 12 waiting requests"), serverLog);
            }
        }
    }

    @Test
    void aRestartedServerHandlesNothingTwice() throws Exception {
        Path dir = tempDir.resolve("q");
        List<String> first = new CopyOnWriteArrayList<>();
        try (ChronicleEchoServer server = ChronicleEchoServer.open(dir, ServerSettings.defaults().withLog(first::add))) {
            try (ChronicleEchoClient client = ChronicleEchoClient.connect(dir, PATIENT)) {
                byte[] sent = send(client, 100, 1);
                assertArrayEquals(sent, receive(client, 100));
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (first.stream().noneMatch(line -> line.contains("finished after 1 message")) && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        }
        assertTrue(first.stream().anyMatch(line -> line.contains("finished after 1 message")), first.toString());
        List<String> second = new CopyOnWriteArrayList<>();
        try (ChronicleEchoServer server = ChronicleEchoServer.open(dir, ServerSettings.defaults().withLog(second::add))) {
            Thread.sleep(300);
            assertEquals(0, server.waitingAtStart());
        }
        // Only the banner: the HELLO, DATA and BYE were all answered or acknowledged by the first server.
        assertEquals(2, second.size(), second.toString());
        assertTrue(second.get(0).startsWith("ipc-lab chronicle echo server on "), second.toString());
    }

    @Test
    void serverKilledWithSigkillMidRunAnswersEveryRequestExactlyOnce() throws Exception {
        Path dir = tempDir.resolve("q");
        Path log = tempDir.resolve("server.log");
        int clients = 3;
        int kills = 3;
        AtomicBoolean killing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(2 * clients);
        List<ForkedPeer> servers = new ArrayList<>();
        try {
            servers.add(startServer(dir, log));
            List<Future<String>> results = new ArrayList<>();
            List<ChronicleEchoClient> connected = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                ChronicleEchoClient client = ChronicleEchoClient.connect(dir, PATIENT);
                connected.add(client);
                results.add(pool.submit(() -> pipelinedUntil(client, killing, pool)));
            }
            for (int k = 0; k < kills; k++) {
                Thread.sleep(400);
                ForkedPeer victim = servers.get(servers.size() - 1);
                assertEquals(137, kill9(victim.child()), victim + " should die of SIGKILL");
                servers.add(startServer(dir, log));
            }
            killing.set(false);
            long messages = 0;
            for (Future<String> result : results) {
                String outcome = result.get(60, TimeUnit.SECONDS);
                assertTrue(outcome.startsWith("OK "), outcome);
                messages += Long.parseLong(outcome.split(" ")[1]);
            }
            for (ChronicleEchoClient client : connected) {
                assertEquals(0, client.duplicatesDropped(), "the server answered a request twice");
                client.close();
            }
            // Exactly once in the log itself, not only as the clients see it.
            Map<String, Integer> responses = responsesByClientAndSeq(dir);
            assertEquals(messages, responses.size(), "one response per request");
            responses.forEach((key, count) -> assertEquals(1, count, "responses to " + key));
            String serverLog = read(log);
            System.out.printf("%d messages from %d clients across %d SIGKILLs; %d kills landed inside an append"
                    + " (the next server forced the dead one's write lock)%n", messages, clients, kills,
                    occurrences(serverLog, "Forced unlocking"));
        } finally {
            killing.set(false);
            pool.shutdownNow();
            for (ForkedPeer server : servers) {
                server.close();
            }
        }
    }

    /**
     * Sends messages on a second thread, up to 16 ahead of the echoes, until {@code running} turns false
     * (at least 200); reads and checks every echo here. Returns "OK messages" or what went wrong.
     */
    private static String pipelinedUntil(ChronicleEchoClient client, AtomicBoolean running, ExecutorService pool)
            throws Exception {
        BlockingQueue<byte[]> inFlight = new ArrayBlockingQueue<>(16);
        Future<Integer> sender = pool.submit(() -> {
            Random random = new Random(client.clientId());
            int n = 0;
            while (running.get() || n < 200) {
                // mostly small; every 8th message 128 KiB-1 MiB, so a kill often lands inside a copy
                int size = n % 8 == 7 ? 128 * 1024 + random.nextInt(896 * 1024) : 1 + random.nextInt(4096);
                byte[] message = new byte[size];
                random.nextBytes(message);
                if (!inFlight.offer(message, 30, TimeUnit.SECONDS)) {
                    throw new IOException("the receiver stopped taking echoes");
                }
                client.send(message, 0, size);
                n++;
            }
            return n;
        });
        int received = 0;
        while (true) {
            byte[] expected = inFlight.poll(10, TimeUnit.MILLISECONDS);
            if (expected == null) {
                if (sender.isDone() && inFlight.isEmpty()) {
                    break;
                }
                continue;
            }
            byte[] echoed = new byte[expected.length];
            client.receive(echoed, 0, echoed.length);
            if (!Arrays.equals(expected, echoed)) {
                return "FAILED: echo " + (received + 1) + " differs";
            }
            received++;
        }
        int sent = sender.get(30, TimeUnit.SECONDS);
        return sent == received ? "OK " + received : "FAILED: sent " + sent + ", received " + received;
    }

    @Test
    void aResponseHalfWrittenByAServerKilledMidAppendIsNeverSeenAndTheRequestIsAnsweredOnce() throws Exception {
        Path dir = tempDir.resolve("q");
        Path log = tempDir.resolve("server.log");
        try (ChronicleEchoClient client = ChronicleEchoClient.connect(dir, PATIENT)) {
            byte[] sent = send(client, 100_000, 5);
            // A "server" that dies inside its append: half the response is in the file, its length never published.
            try (ChildProcess dying = startJava(HalfWriteMain.class, List.of("response", dir.toString()))) {
                assertTrue(firstLine(dying, 30).startsWith(HalfWriteMain.HALF_WRITTEN));
                assertEquals(137, kill9(dying));
            }
            try (ForkedPeer server = startServer(dir, log)) {
                assertArrayEquals(sent, receive(client, sent.length));
                byte[] more = send(client, 10, 6);
                assertArrayEquals(more, receive(client, 10));
            }
            assertEquals(0, client.duplicatesDropped());
        }
        Map<String, Integer> responses = responsesByClientAndSeq(dir);
        assertEquals(2, responses.size(), "the half response left no excerpt: " + responses);
        responses.forEach((key, count) -> assertEquals(1, count, key));
        String serverLog = read(log);
        assertTrue(serverLog.contains("Forced unlocking") && serverLog.contains("which is now dead"),
                "the new server takes over the dead writer's lock: " + serverLog);
    }

    @Test
    void aRequestHalfWrittenByAClientKilledMidAppendNeverReachesTheServer() throws Exception {
        Path dir = tempDir.resolve("q");
        Path log = tempDir.resolve("server.log");
        try (ForkedPeer server = startServer(dir, log)) {
            try (ChildProcess dying = startJava(HalfWriteMain.class, List.of("request", dir.toString()))) {
                assertTrue(firstLine(dying, 30).startsWith(HalfWriteMain.HALF_WRITTEN));
                assertEquals(137, kill9(dying));
            }
            try (ChronicleEchoClient client = ChronicleEchoClient.connect(dir, PATIENT)) {
                byte[] sent = send(client, 5000, 9);
                assertArrayEquals(sent, receive(client, sent.length));
            }
        }
        Map<String, Integer> responses = responsesByClientAndSeq(dir);
        assertEquals(1, responses.size(), "only the live client's request was answered: " + responses);
    }

    private static byte[] send(ChronicleEchoClient client, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        client.send(bytes, 0, size);
        return bytes;
    }

    private static byte[] receive(ChronicleEchoClient client, int size) throws IOException {
        byte[] bytes = new byte[size];
        client.receive(bytes, 0, size);
        return bytes;
    }
}

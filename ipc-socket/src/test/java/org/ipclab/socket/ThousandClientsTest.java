package org.ipclab.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.ipclab.core.Closer;
import org.ipclab.core.EchoClient;
import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One TCP (or Unix socket) server, 1,000 connections open at the same time, each echoing 100 messages of random size
 * (1 B to 64 KiB): every byte must come back. The connections are driven by a small pool of threads, so
 * the server really holds all 1,000 at once while it echoes.
 */
class ThousandClientsTest {

    static final int CONNECTIONS = 1000;
    static final int MESSAGES = 100;
    static final int MAX_MESSAGE = 64 * 1024;

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"tcp", "unix"})
    @Timeout(value = 240, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void thousandConcurrentConnectionsEachEchoHundredMessagesWithoutLoss(String transport,
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        ServerSettings settings = ServerSettings.defaults().withBacklog(1024);
        java.nio.file.Path socketFile = dir.resolve("echo.sock");
        try (SocketEchoServer server = transport.equals("tcp")
                ? SocketEchoServer.openTcp(new InetSocketAddress("127.0.0.1", 0), settings)
                : SocketEchoServer.openUnix(socketFile, settings)) {
            List<EchoClient> clients = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(16);
            try {
                for (int i = 0; i < CONNECTIONS; i++) {
                    clients.add(transport.equals("tcp")
                            ? SocketEchoClient.connectTcp("127.0.0.1", port(server), Duration.ofSeconds(30))
                            : SocketEchoClient.connectUnix(socketFile, Duration.ofSeconds(30)));
                }
                awaitOpenConnections(server, CONNECTIONS);
                AtomicLong bytesVerified = new AtomicLong();
                List<Future<?>> work = new ArrayList<>();
                int perThread = CONNECTIONS / 16;
                for (int t = 0; t < 16; t++) {
                    List<EchoClient> mine = clients.subList(t * perThread, t == 15 ? CONNECTIONS : (t + 1) * perThread);
                    int seed = t;
                    work.add(pool.submit(() -> {
                        SplittableRandom random = new SplittableRandom(seed);
                        byte[] sent = new byte[MAX_MESSAGE];
                        byte[] echoed = new byte[MAX_MESSAGE];
                        // round-robin: message m of every connection before message m+1 of any
                        for (int m = 0; m < MESSAGES; m++) {
                            for (EchoClient client : mine) {
                                int size = 1 + random.nextInt(MAX_MESSAGE);
                                for (int i = 0; i < size; i++) {
                                    sent[i] = (byte) random.nextInt();
                                }
                                client.roundTrip(sent, echoed, size);
                                assertArrayEquals(java.util.Arrays.copyOf(sent, size), java.util.Arrays.copyOf(echoed, size));
                                bytesVerified.addAndGet(size);
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> f : work) {
                    f.get(200, TimeUnit.SECONDS);
                }
                assertEquals(CONNECTIONS, server.openConnections(), "every connection stayed open");
                System.out.printf("%s: 1,000 connections x 100 messages: %,d bytes echoed and verified%n", transport, bytesVerified.get());
            } finally {
                pool.shutdownNow();
                Closer.closeAll(clients.toArray(new AutoCloseable[0]));
            }
        }
    }

    private static int port(SocketEchoServer server) {
        return Integer.parseInt(server.endpoint().substring(server.endpoint().lastIndexOf(':') + 1));
    }

    private static void awaitOpenConnections(SocketEchoServer server, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (server.openConnections() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, server.openConnections(), "the server accepted every connection");
    }
}

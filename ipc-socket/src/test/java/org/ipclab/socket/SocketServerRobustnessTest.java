package org.ipclab.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.Closer;
import org.ipclab.core.EchoClient;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.ProcFiles;
import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The socket server under abuse: silent clients, clients that stop reading, die, or come in too many. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketServerRobustnessTest {

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    private SocketEchoServer tcpServer(ServerSettings settings) throws IOException {
        return SocketEchoServer.openTcp(new InetSocketAddress("127.0.0.1", 0), settings.withLog(log::add));
    }

    private static int port(SocketEchoServer server) {
        return Integer.parseInt(server.endpoint().substring(server.endpoint().lastIndexOf(':') + 1));
    }

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }

    @Test
    void aClientThatSendsNothingIsClosedByTheIdleTimeout() throws Exception {
        try (SocketEchoServer server = tcpServer(ServerSettings.defaults().withIdleTimeout(Duration.ofMillis(300)));
             SocketChannel silent = SocketChannel.open(new InetSocketAddress("127.0.0.1", port(server)))) {
            silent.socket().setSoTimeout(10_000);
            long start = System.nanoTime();
            int read = silent.socket().getInputStream().read();   // blocks until the server closes us
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(-1, read, "the server closed the idle connection");
            assertTrue(waitedMs >= 250, "not before the idle timeout: " + waitedMs + " ms");
            awaitTrue(() -> log.stream().anyMatch(l -> l.contains("idle for more than")), "the server logs why");
            assertEquals(0, server.openConnections());
        }
    }

    @Test
    void aClientThatStopsReadingMeetsBackPressureAndTheServerDoesNotBufferWithoutBound() throws Exception {
        try (SocketEchoServer server = tcpServer(ServerSettings.defaults());
             SocketChannel greedy = SocketChannel.open(new InetSocketAddress("127.0.0.1", port(server)))) {
            greedy.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
            long accepted = 0;
            long lastProgress = System.nanoTime();
            // write and never read: once every buffer on the way is full, write(2) accepts nothing more
            while (System.nanoTime() - lastProgress < TimeUnit.MILLISECONDS.toNanos(500)) {
                chunk.clear();
                int n = greedy.write(chunk);
                if (n > 0) {
                    accepted += n;
                    lastProgress = System.nanoTime();
                } else {
                    Thread.sleep(5);
                }
                assertTrue(accepted < 256L * 1024 * 1024, "the server kept reading: it buffers without bound");
            }
            // what the kernel holds: our send buffer + the server's receive buffer + its send buffer + ours to
            // receive, plus at most one 64 KiB echo the server owes. Tens of MiB at most, never unbounded.
            System.out.printf("back pressure after %,d bytes written and not read%n", accepted);
            assertTrue(accepted > 0);
            // and the server still serves everybody else
            try (EchoClient other = SocketEchoClient.connectTcp("127.0.0.1", port(server), Duration.ofSeconds(5))) {
                byte[] back = new byte[5];
                other.roundTrip("hello".getBytes(), back, 5);
                assertEquals("hello", new String(back));
            }
        }
    }

    @Test
    void extraConnectionsBeyondTheCapAreClosedAndTheServerSurvives() throws Exception {
        try (SocketEchoServer server = tcpServer(ServerSettings.defaults().withMaxConnections(2))) {
            List<EchoClient> clients = new ArrayList<>();
            try {
                clients.add(SocketEchoClient.connectTcp("127.0.0.1", port(server), Duration.ofSeconds(5)));
                clients.add(SocketEchoClient.connectTcp("127.0.0.1", port(server), Duration.ofSeconds(5)));
                awaitTrue(() -> server.openConnections() == 2, "two connections are open");
                EchoClient third = SocketEchoClient.connectTcp("127.0.0.1", port(server), Duration.ofSeconds(5));
                clients.add(third);
                IOException refused = assertThrows(IOException.class, () -> third.roundTrip(new byte[1], new byte[1], 1));
                assertTrue(refused.getMessage().contains("closed the connection") || refused.getMessage().contains("reset"),
                        refused.getMessage());
                awaitTrue(() -> log.stream().anyMatch(l -> l.startsWith("Refused") && l.contains("the cap is 2")), "a log line");
                byte[] back = new byte[2];
                clients.get(0).roundTrip(new byte[] {7, 8}, back, 2);
                assertArrayEquals(new byte[] {7, 8}, back, "the server still echoes for the first two");
            } finally {
                Closer.closeAll(clients.toArray(new AutoCloseable[0]));
            }
        }
    }

    @Test
    void aClientKilledMidMessageIsFreedAndOthersAreStillServed() throws Exception {
        try (SocketEchoServer server = tcpServer(ServerSettings.defaults())) {
            // a separate process writes half a megabyte without reading, then dies by SIGKILL
            Process python = new ProcessBuilder("python3", "-c",
                    "import socket,sys,time\n"
                    + "s=socket.create_connection(('127.0.0.1'," + port(server) + "))\n"
                    + "s.setblocking(False)\n"
                    + "try:\n    s.send(b'x'*524288)\nexcept BlockingIOError:\n    pass\n"
                    + "print('sent', flush=True)\ntime.sleep(60)\n")
                    .redirectErrorStream(true).start();
            try (ChildProcess child = new ChildProcess(python, "python client")) {
                assertEquals("sent", new String(python.getInputStream().readNBytes(4)));
                awaitTrue(() -> server.openConnections() == 1, "the server holds the connection");
                python.toHandle().destroyForcibly();   // SIGKILL: the kernel closes its socket (RST, data unread)
                assertTrue(python.waitFor(10, TimeUnit.SECONDS));
                awaitTrue(() -> server.openConnections() == 0, "the server freed the dead client's connection");
            }
            try (EchoClient other = SocketEchoClient.connectTcp("127.0.0.1", port(server), Duration.ofSeconds(5))) {
                byte[] back = new byte[3];
                other.roundTrip(new byte[] {1, 2, 3}, back, 3);
                assertArrayEquals(new byte[] {1, 2, 3}, back);
            }
        }
    }

    @Test
    void aServerKilledMidStreamMakesTheClientFailClearlyWithinItsTimeout() throws Exception {
        TcpTransport tcp = new TcpTransport();
        ForkedPeer peer = ForkedPeer.start(tcp, "127.0.0.1:0");
        try (EchoClient client = peer.connect(org.ipclab.core.ClientSettings.defaults().withTimeout(Duration.ofSeconds(5)))) {
            byte[] chunk = new byte[1024 * 1024];
            Thread writer = new Thread(() -> {
                try {
                    while (true) {
                        client.send(chunk, 0, chunk.length);   // an endless stream
                    }
                } catch (IOException expected) {
                    // the server died: sending fails too
                }
            });
            writer.setDaemon(true);
            writer.start();
            byte[] back = new byte[chunk.length];
            client.receive(back, 0, back.length);   // the stream is flowing
            ProcessHandle.of(peer.pid()).ifPresent(ProcessHandle::destroyForcibly);   // SIGKILL mid-stream
            long start = System.nanoTime();
            IOException failure = assertThrows(IOException.class, () -> {
                while (true) {
                    client.receive(back, 0, back.length);
                }
            });
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(tookMs < 7_000, "failed within the 5 s timeout (+ slack), took " + tookMs + " ms");
            String message = failure.getMessage();
            assertTrue(message.contains("closed the connection") || message.contains("died") || message.contains("reset"),
                    "a clear message: " + message);
            writer.join(10_000);
            assertTrue(!writer.isAlive(), "the writer failed too, it did not hang");
        } finally {
            peer.close();
        }
    }

    @Test
    void aServerThatNeverEchoesCostsTheClientItsTimeoutAndAClearError() throws Exception {
        try (java.net.ServerSocket mute = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            // the kernel completes the handshake and takes our bytes; nobody ever answers
            try (EchoClient client = SocketEchoClient.connectTcp("127.0.0.1", mute.getLocalPort(), Duration.ofMillis(500))) {
                long start = System.nanoTime();
                IOException failure = assertThrows(IOException.class, () -> client.roundTrip(new byte[8], new byte[8], 8));
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertTrue(failure.getMessage().contains("no echo for 500 ms"), failure.getMessage());
                assertTrue(tookMs >= 450 && tookMs < 3_000, "bounded by the timeout: " + tookMs + " ms");
            }
        }
    }

    @Test
    void thousandIdleConnectionsKeepTheServerUnder256MiB() throws Exception {
        TcpTransport tcp = new TcpTransport();
        ForkedPeer peer = ForkedPeer.start(tcp, "127.0.0.1:0", ForkedPeer.Options.defaults()
                .withOptions(java.util.Map.of()));
        List<SocketChannel> idle = new ArrayList<>();
        try {
            int port = Integer.parseInt(peer.endpoint().substring(peer.endpoint().lastIndexOf(':') + 1));
            for (int i = 0; i < 1000; i++) {
                idle.add(SocketChannel.open(new InetSocketAddress("127.0.0.1", port)));
            }
            // every connection proves it is served, then goes idle
            ByteBuffer one = ByteBuffer.allocate(1);
            for (SocketChannel channel : idle) {
                channel.write(ByteBuffer.wrap(new byte[] {9}));
                one.clear();
                channel.read(one);
            }
            String status = ProcFiles.read(Path.of("/proc", String.valueOf(peer.pid()), "status"));
            long rssKiB = field(status, "VmRSS:");
            long peakKiB = field(status, "VmHWM:");
            long fds;
            try (var list = java.nio.file.Files.list(Path.of("/proc", String.valueOf(peer.pid()), "fd"))) {
                fds = list.count();
            }
            System.out.printf("server with 1,000 idle connections: RSS %.1f MiB, peak RSS %.1f MiB, %d open fds%n",
                    rssKiB / 1024.0, peakKiB / 1024.0, fds);
            assertTrue(fds >= 1000, "the server holds the connections: " + fds + " fds");
            assertTrue(peakKiB < 256 * 1024, "peak RSS " + peakKiB / 1024 + " MiB exceeds 256 MiB");
        } finally {
            Closer.closeAll(idle.toArray(new AutoCloseable[0]));
            peer.close();
        }
    }

    private static long field(String status, String name) {
        return status.lines().filter(l -> l.startsWith(name)).findFirst()
                .map(l -> Long.parseLong(l.replaceAll("\\D+", ""))).orElseThrow();
    }
}

package org.ipclab.socket;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The default TCP server, the hybrid model: the first {@link ServerModel#hybridThreads()} connections open at once get
 * a thread each, the ones beyond go to one selector thread, and every one of them is echoed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HybridServerTest {

    private static byte[] echo(Socket s, String text) throws IOException {
        byte[] sent = text.getBytes(StandardCharsets.US_ASCII);
        s.getOutputStream().write(sent);
        byte[] back = s.getInputStream().readNBytes(sent.length);
        assertArrayEquals(sent, back, "the echo of " + text);
        return back;
    }

    private static long echoThreads(String endpoint) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("echo " + endpoint + " #")).count();
    }

    @Test
    void connectionsBeyondTheThreadsGoToTheSelectorAndAreEchoedToo() throws Exception {
        int threads = ServerModel.hybridThreads();
        int clients = threads + 36;
        List<String> log = new CopyOnWriteArrayList<>();
        ServerSettings settings = ServerSettings.defaults().withLog(log::add);
        List<Socket> open = new ArrayList<>();
        try (SocketEchoServer server = SocketEchoServer.openTcp(new InetSocketAddress("127.0.0.1", 0), settings)) {
            assertEquals(ServerModel.HYBRID, server.model(), "hybrid is the default");
            String[] hostPort = server.endpoint().split(":");
            for (int i = 0; i < clients; i++) {
                Socket s = new Socket(hostPort[0], Integer.parseInt(hostPort[1]));
                s.setSoTimeout(10_000);
                open.add(s);
                echo(s, "client " + i);   // each one echoed while all before it stay open
            }
            assertEquals(clients, server.openConnections(), "every connection is open: " + log);
            assertEquals(clients - threads, log.stream().filter(l -> l.contains("(to the selector")).count(),
                    "the ones beyond the threads went to the selector");
            assertEquals(threads, echoThreads(server.endpoint()), "one thread per connection up to the limit, no more");
            for (int i = 0; i < clients; i++) {
                echo(open.get(i), "again " + i);   // both kinds still echo
            }
            for (Socket s : open) {
                s.close();
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (server.openConnections() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, server.openConnections(), "closed connections are counted out on both sides");
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
    }
}

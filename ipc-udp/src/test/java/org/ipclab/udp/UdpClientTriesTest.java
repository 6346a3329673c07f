package org.ipclab.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.ipclab.core.EchoClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the client does when echoes are lost: resends the same bytes, gives up after 3 tries, ignores late copies. */
@Timeout(30)
class UdpClientTriesTest {

    private static DatagramChannel bound() throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return channel;
    }

    @Test
    void aSilentServerGetsTheSameDatagramThreeTimesThenTheClientGivesUp() throws Exception {
        try (DatagramChannel silent = bound();
             EchoClient client = UdpEchoClient.connect((InetSocketAddress) silent.getLocalAddress(), Duration.ofMillis(900))) {
            long start = System.nanoTime();
            IOException failed = assertThrows(IOException.class, () -> client.roundTrip(new byte[] {1, 2, 3}, new byte[3], 3));
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertTrue(failed.getMessage().contains("no echo after 3 tries"), failed.getMessage());
            assertTrue(elapsedMs >= 850 && elapsedMs < 3000, "about the timeout: " + elapsedMs + " ms");
            silent.configureBlocking(false);
            for (int i = 0; i < 3; i++) {
                ByteBuffer copy = ByteBuffer.allocate(16);
                assertTrue(silent.receive(copy) != null, "copy " + (i + 1));
                assertEquals(ByteBuffer.wrap(new byte[] {1, 2, 3}), copy.flip());
            }
            assertEquals(null, silent.receive(ByteBuffer.allocate(16)), "no fourth try");
        }
    }

    @Test
    void aLostEchoIsRecoveredByTheResendAndTheLateCopyIsNotTakenForTheNextEcho() throws Exception {
        try (DatagramChannel server = bound();
             EchoClient client = UdpEchoClient.connect((InetSocketAddress) server.getLocalAddress(), Duration.ofMillis(600))) {
            // the server drops the first datagram, answers the resend, then answers the first late (twice in all)
            CompletableFuture<Void> serving = CompletableFuture.runAsync(() -> {
                try {
                    ByteBuffer in = ByteBuffer.allocate(64);
                    server.receive(in);                          // try 1: "lost"
                    in.clear();
                    SocketAddress from = server.receive(in);     // try 2: answered ...
                    in.flip();
                    server.send(in.duplicate(), from);
                    server.send(in.duplicate(), from);          // ... and a late copy of the first try's echo
                    ByteBuffer next = ByteBuffer.allocate(64);
                    from = server.receive(next);                 // message 2: answered once
                    server.send(next.flip(), from);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            byte[] first = {1, 1, 1};
            byte[] back = new byte[3];
            client.roundTrip(first, back, 3);
            assertArrayEquals(first, back);
            byte[] second = {2, 2, 2};
            client.roundTrip(second, back, 3);
            assertArrayEquals(second, back, "the late copy of the first echo was dropped, not returned as the second");
            serving.get();
        }
    }
}

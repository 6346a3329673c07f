package org.ipclab.core.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoPeer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The echo contract, as one suite every transport runs by supplying one factory, {@link #startPeer}
 * (Netty's {@code SocketEchoTest} shape): {@code TcpEchoContractTest extends EchoContractTest}.
 *
 * <p>Every byte a client sends comes back, in order, unchanged, until the client closes. The suite checks
 * sizes from 0 B to 10 MiB (64 KiB is exactly a default Linux pipe buffer), all 256 byte values, random
 * write and read chunking, 1,000 messages in order on one connection, concurrent clients, half-close,
 * close twice, and use after close. Every test has a timeout: a transport that deadlocks fails, it does
 * not hang the build.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class EchoContractTest {

    protected static final int KIB = 1024;
    protected static final int MIB = 1024 * KIB;

    @TempDir
    protected Path tempDir;

    protected EchoPeer peer;

    /** The one factory: start this transport's echo peer (in this JVM or in a process of its own). */
    protected abstract EchoPeer startPeer(Path tempDir) throws Exception;

    /** How clients connect; override to add transport options. */
    protected ClientSettings clientSettings() {
        return ClientSettings.defaults().withTimeout(Duration.ofSeconds(20));
    }

    /**
     * The largest message one send may carry, or {@link Integer#MAX_VALUE} (the default) when any size goes. A
     * transport with a limit is one message per datagram (UDP: 65,507 B): sizes above it are skipped, one byte more
     * must fail with an IOException, and the kit sends one message and reads its echo (in random pieces) before the
     * next, because nothing holds a datagram sender back - a stream written all at once would be dropped, not delayed.
     */
    protected int maxMessageBytes() {
        return Integer.MAX_VALUE;
    }

    private boolean limited() {
        return maxMessageBytes() != Integer.MAX_VALUE;
    }

    /** How many clients {@link #concurrentClientsEachGetTheirOwnEcho} runs at once. */
    protected int concurrentClients() {
        return 8;
    }

    @BeforeEach
    void startPeerForTest() throws Exception {
        peer = startPeer(tempDir);
    }

    @AfterEach
    void closePeer() throws IOException {
        if (peer != null) {
            peer.close();
        }
    }

    protected EchoClient connect() throws IOException {
        return peer.connect(clientSettings());
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {0, 1, 4 * KIB, 64 * KIB, MIB, 10 * MIB})
    void echoesEverySizeByteForByte(int size) throws IOException {
        assumeTrue(size <= maxMessageBytes(), () -> size + " bytes is more than one message carries (" + maxMessageBytes() + ")");
        byte[] sent = randomBytes(size, size);
        byte[] echoed = new byte[size];
        try (EchoClient client = connect()) {
            client.roundTrip(sent, echoed, size);
            assertArrayEquals(sent, echoed, "echo of " + size + " bytes differs");
            // the connection still works after the message (a 0-byte message must not end it)
            byte[] probe = {42};
            byte[] back = new byte[1];
            client.roundTrip(probe, back, 1);
            assertEquals(42, back[0]);
        }
    }

    @Test
    void theLargestMessageComesBackAndOneByteMoreIsRefused() throws IOException {
        assumeTrue(limited(), "any size goes: nothing to refuse");
        int max = maxMessageBytes();
        byte[] sent = randomBytes(max + 1, 29);
        byte[] echoed = new byte[max + 1];
        try (EchoClient client = connect()) {
            client.roundTrip(sent, echoed, max);
            assertArrayEquals(java.util.Arrays.copyOf(sent, max), java.util.Arrays.copyOf(echoed, max));
            IOException refused = assertThrows(IOException.class, () -> client.send(sent, 0, max + 1),
                    "one byte more than the largest message must be refused");
            assertTrue(refused.getMessage() != null && refused.getMessage().contains(String.valueOf(max + 1)),
                    "the refusal should say the size: " + refused.getMessage());
            byte[] back = new byte[1];
            client.roundTrip(new byte[] {7}, back, 1);
            assertEquals(7, back[0], "the client still works after a refusal");
        }
    }

    @Test
    void echoesAll256ByteValuesUnchanged() throws IOException {
        byte[] sent = new byte[256 * 4];
        for (int i = 0; i < sent.length; i++) {
            sent[i] = (byte) i;   // 0x00..0xFF four times: NUL, CR, LF, 0x7F, 0xFF must all survive
        }
        byte[] echoed = new byte[sent.length];
        try (EchoClient client = connect()) {
            client.roundTrip(sent, echoed, sent.length);
        }
        assertArrayEquals(sent, echoed);
    }

    @Test
    void randomWriteAndReadChunkingKeepsOrder() throws Exception {
        SplittableRandom random = new SplittableRandom(7);
        int size = 3 * MIB + 12345;
        byte[] sent = randomBytes(size, 11);
        byte[] echoed = new byte[size];
        if (limited()) {
            oneMessageAtATime(sent, echoed, random);
            assertArrayEquals(sent, echoed);
            return;
        }
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (EchoClient client = connect()) {
            Future<?> written = writer.submit(() -> {
                SplittableRandom chunks = new SplittableRandom(13);
                int offset = 0;
                while (offset < size) {
                    int chunk = Math.min(size - offset, 1 + chunks.nextInt(chunks.nextBoolean() ? 17 : 70_000));
                    client.send(sent, offset, chunk);
                    offset += chunk;
                }
                return null;
            });
            int offset = 0;
            while (offset < size) {
                int chunk = Math.min(size - offset, 1 + random.nextInt(random.nextBoolean() ? 13 : 90_000));
                client.receive(echoed, offset, chunk);
                offset += chunk;
            }
            written.get(30, TimeUnit.SECONDS);
        } finally {
            writer.shutdownNow();
        }
        assertArrayEquals(sent, echoed);
    }

    /** The chunking test for a transport with a largest message: send one, read its echo in random pieces, repeat. */
    private void oneMessageAtATime(byte[] sent, byte[] echoed, SplittableRandom random) throws IOException {
        SplittableRandom chunks = new SplittableRandom(13);
        try (EchoClient client = connect()) {
            int offset = 0;
            while (offset < sent.length) {
                int chunk = Math.min(Math.min(sent.length - offset, maxMessageBytes()),
                        1 + chunks.nextInt(chunks.nextBoolean() ? 17 : 70_000));
                client.send(sent, offset, chunk);
                int end = offset + chunk;
                while (offset < end) {
                    int piece = Math.min(end - offset, 1 + random.nextInt(random.nextBoolean() ? 13 : 90_000));
                    client.receive(echoed, offset, piece);
                    offset += piece;
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} buffers")
    @ValueSource(strings = {"heap", "direct", "read-only", "allocateBuffer"})
    void byteBuffersEchoFromPositionToLimit(String kind) throws Exception {
        int size = Math.min(300 * KIB + 7, maxMessageBytes());   // more than the kernel buffers hold: written on a second thread
        byte[] sent = randomBytes(size, 17);
        ExecutorService writer = Executors.newSingleThreadExecutor();
        try (EchoClient client = connect()) {
            ByteBuffer src = switch (kind) {
                case "heap" -> ByteBuffer.allocate(size + 10);
                case "direct", "read-only" -> ByteBuffer.allocateDirect(size + 10);
                default -> client.allocateBuffer(size + 10);
            };
            assertEquals(size + 10, src.capacity());
            src.position(3).put(sent).flip().position(3);   // the payload sits between 3 and size + 3
            ByteBuffer toSend = kind.equals("read-only") ? src.asReadOnlyBuffer() : src;
            ByteBuffer dst = src.isDirect() ? ByteBuffer.allocateDirect(size + 20) : ByteBuffer.allocate(size + 20);
            dst.position(11).limit(11 + size);
            Future<?> written = writer.submit(() -> {
                client.send(toSend);
                return null;
            });
            client.receive(dst);
            written.get(30, TimeUnit.SECONDS);
            assertEquals(size + 3, toSend.position(), "send moves the position to the limit");
            assertEquals(11 + size, dst.position(), "receive moves the position to the limit");
            byte[] echoed = new byte[size];
            dst.get(11, echoed);
            assertArrayEquals(sent, echoed);
            for (int i = 0; i < 11; i++) {
                assertEquals(0, dst.get(i), "receive wrote before the position");
            }
            // the connection goes on: a small message through buffers on one thread
            ByteBuffer one = client.allocateBuffer(5).put(new byte[] {5, 4, 3, 2, 1}).flip();
            ByteBuffer back = client.allocateBuffer(5);
            client.send(one);
            client.receive(back);
            assertEquals(ByteBuffer.wrap(new byte[] {5, 4, 3, 2, 1}), back.flip());
            assertThrows(java.nio.ReadOnlyBufferException.class,
                    () -> client.receive(ByteBuffer.allocate(4).asReadOnlyBuffer()));
        } finally {
            writer.shutdownNow();
        }
    }

    @ParameterizedTest(name = "{0} bytes")
    @ValueSource(ints = {100, 300 * KIB})
    void roundTripWithBuffersEchoesExactlyTheRemainingBytes(int size) throws IOException {
        assumeTrue(size <= maxMessageBytes(), () -> size + " bytes is more than one message carries (" + maxMessageBytes() + ")");
        byte[] sent = randomBytes(size, 23);
        try (EchoClient client = connect()) {
            ByteBuffer src = client.allocateBuffer(size).put(sent).flip();
            ByteBuffer dst = client.allocateBuffer(size + 50).position(5);   // room to spare: only size bytes come
            client.roundTrip(src, dst);
            assertEquals(size, src.position());
            assertEquals(5 + size, dst.position(), "dst moves past the echo");
            assertEquals(size + 50, dst.limit(), "dst's limit is given back");
            byte[] echoed = new byte[size];
            dst.get(5, echoed);
            assertArrayEquals(sent, echoed);
            assertThrows(IllegalArgumentException.class, () -> client.roundTrip(src.flip(), ByteBuffer.allocate(size - 1)),
                    "an echo that cannot fit is refused before anything is sent");
        }
    }

    @Test
    void thousandMessagesComeBackInOrderOnOneConnection() throws IOException {
        Random random = new Random(3);
        try (EchoClient client = connect()) {
            for (int i = 0; i < 1000; i++) {
                int size = 8 + random.nextInt(200);
                byte[] sent = new byte[size];
                random.nextBytes(sent);
                ByteBuffer.wrap(sent).putInt(i).putInt(size);   // a sequence number we can read back
                byte[] echoed = new byte[size];
                client.roundTrip(sent, echoed, size);
                ByteBuffer header = ByteBuffer.wrap(echoed);
                assertEquals(i, header.getInt(), "message out of order");
                assertEquals(size, header.getInt());
                assertArrayEquals(sent, echoed, "message " + i);
            }
        }
    }

    @Test
    void concurrentClientsEachGetTheirOwnEcho() throws Exception {
        int clients = concurrentClients();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int clientNo = c;
                results.add(pool.submit(() -> {
                    SplittableRandom random = new SplittableRandom(100 + clientNo);
                    int verified = 0;
                    try (EchoClient client = connect()) {
                        for (int m = 0; m < 50; m++) {
                            int size = 1 + random.nextInt(20_000);
                            byte[] sent = randomBytes(size, clientNo * 1000L + m);
                            byte[] echoed = new byte[size];
                            client.roundTrip(sent, echoed, size);
                            assertArrayEquals(sent, echoed, "client " + clientNo + " message " + m);
                            verified += size;
                        }
                    }
                    return verified;
                }));
            }
            for (Future<Integer> result : results) {
                assertTrue(result.get(50, TimeUnit.SECONDS) > 0);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void halfCloseStillReturnsEverythingSent() throws IOException {
        byte[] sent = randomBytes(100_000, 5);
        byte[] echoed = new byte[sent.length];
        try (EchoClient client = connect()) {
            client.send(sent, 0, 1000);
            client.receive(echoed, 0, 1000);
            client.send(sent, 1000, 20_000);
            client.finishSending();
            client.receive(echoed, 1000, 20_000);
        }
        assertArrayEquals(java.util.Arrays.copyOf(sent, 21_000), java.util.Arrays.copyOf(echoed, 21_000));
    }

    @Test
    void closingTwiceIsHarmless() throws IOException {
        EchoClient client = connect();
        byte[] back = new byte[3];
        client.roundTrip(new byte[] {1, 2, 3}, back, 3);
        assertArrayEquals(new byte[] {1, 2, 3}, back, "the echo before the close");
        client.close();
        assertDoesNotThrow(client::close, "a client's second close must do nothing");
        IOException afterSecondClose = assertThrows(IOException.class, () -> client.send(back, 0, 3),
                "a client closed twice stays closed");
        assertTrue(afterSecondClose.getMessage() != null && afterSecondClose.getMessage().contains("closed"),
                "message should say the client is closed: " + afterSecondClose.getMessage());
        // what a second close sends (a second FIN, END or BYE) must not disturb the peer's other clients
        try (EchoClient other = connect()) {
            byte[] again = new byte[3];
            other.roundTrip(new byte[] {4, 5, 6}, again, 3);
            assertArrayEquals(new byte[] {4, 5, 6}, again, "the peer's echo after a client closed twice");
        }
        EchoPeer closing = peer;
        peer = null;
        closing.close();
        assertDoesNotThrow(closing::close, "a peer's second close must do nothing");
    }

    @Test
    void useAfterCloseFailsWithAClearIOException() throws IOException {
        EchoClient client = connect();
        client.close();
        byte[] buffer = new byte[4];
        IOException onSend = assertThrows(IOException.class, () -> client.send(buffer, 0, 4));
        IOException onReceive = assertThrows(IOException.class, () -> client.receive(buffer, 0, 4));
        IOException onRoundTrip = assertThrows(IOException.class, () -> client.roundTrip(buffer, buffer, 4));
        IOException onBufferSend = assertThrows(IOException.class, () -> client.send(ByteBuffer.wrap(buffer)));
        IOException onBufferReceive = assertThrows(IOException.class, () -> client.receive(ByteBuffer.allocate(4)));
        for (IOException e : List.of(onSend, onReceive, onRoundTrip, onBufferSend, onBufferReceive)) {
            assertTrue(e.getMessage() != null && e.getMessage().contains("closed"),
                    "message should say the client is closed: " + e.getMessage());
        }
    }

    /** Deterministic pseudo-random bytes: a failure can be reproduced. */
    protected static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}

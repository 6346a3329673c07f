package org.ipclab.core.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoPeer;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Property-based echo tests (jqwik): for random payloads cut into random write chunks and read back in
 * different random chunks, the echo equals what was sent. jqwik shrinks a failure to the smallest payload
 * and chunking that still fails, and prints the seed to reproduce it. Every transport runs it by
 * supplying {@link #startPeer}, as with {@link EchoContractTest}.
 */
public abstract class EchoPropertyTest {

    private Path scratch;
    private EchoPeer peer;
    private ExecutorService writer;

    /** The one factory: start this transport's echo peer. */
    protected abstract EchoPeer startPeer(Path tempDir) throws Exception;

    /**
     * As {@link EchoContractTest#maxMessageBytes()}: the largest message one send may carry. With a limit, each write
     * chunk is cut to it and its echo is read (in the read chunks) before the next is sent.
     */
    protected int maxMessageBytes() {
        return Integer.MAX_VALUE;
    }

    @BeforeProperty
    void startPeerForProperty() throws Exception {
        scratch = Files.createTempDirectory("ipclab-prop-");
        peer = startPeer(scratch);
        writer = Executors.newSingleThreadExecutor();
    }

    @AfterProperty
    void closePeer() throws IOException {
        writer.shutdownNow();
        try {
            peer.close();
        } finally {
            org.ipclab.core.FileTrees.delete(scratch);
        }
    }

    @Property(tries = 40)
    void anyBytesInAnyChunkingComeBackUnchanged(@ForAll("payloads") byte[] payload,
                                                @ForAll("chunkSizes") List<Integer> writeChunks,
                                                @ForAll("chunkSizes") List<Integer> readChunks) throws Exception {
        byte[] echoed = new byte[payload.length];
        try (EchoClient client = peer.connect(ClientSettings.defaults().withTimeout(Duration.ofSeconds(20)))) {
            if (maxMessageBytes() != Integer.MAX_VALUE) {
                oneMessageAtATime(client, payload, echoed, writeChunks, readChunks);
                if (!Arrays.equals(payload, echoed)) {
                    throw new AssertionError("echo differs at byte " + Arrays.mismatch(payload, echoed) + " of " + payload.length);
                }
                return;
            }
            Future<?> sent = writer.submit(() -> {
                int offset = 0;
                int i = 0;
                while (offset < payload.length) {
                    int n = Math.min(payload.length - offset, writeChunks.get(i++ % writeChunks.size()));
                    client.send(payload, offset, n);
                    offset += n;
                }
                return null;
            });
            int offset = 0;
            int i = 0;
            while (offset < payload.length) {
                int n = Math.min(payload.length - offset, readChunks.get(i++ % readChunks.size()));
                client.receive(echoed, offset, n);
                offset += n;
            }
            sent.get(20, TimeUnit.SECONDS);
        }
        if (!Arrays.equals(payload, echoed)) {
            int at = Arrays.mismatch(payload, echoed);
            throw new AssertionError("echo differs at byte " + at + " of " + payload.length);
        }
    }

    private void oneMessageAtATime(EchoClient client, byte[] payload, byte[] echoed, List<Integer> writeChunks,
                                   List<Integer> readChunks) throws IOException {
        int offset = 0;
        int w = 0;
        int r = 0;
        while (offset < payload.length) {
            int n = Math.min(Math.min(payload.length - offset, maxMessageBytes()), writeChunks.get(w++ % writeChunks.size()));
            client.send(payload, offset, n);
            int end = offset + n;
            while (offset < end) {
                int piece = Math.min(end - offset, readChunks.get(r++ % readChunks.size()));
                client.receive(echoed, offset, piece);
                offset += piece;
            }
        }
    }

    @Provide
    Arbitrary<byte[]> payloads() {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(1).ofMaxSize(300_000)
                .edgeCases(edges -> edges.add(new byte[] {0}, new byte[] {(byte) 0xFF, 0, (byte) 0x80}));
    }

    @Provide
    Arbitrary<List<Integer>> chunkSizes() {
        return Arbitraries.integers().between(1, 100_000).list().ofMinSize(1).ofMaxSize(8);
    }
}

package org.ipclab.comparison.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.ipclab.comparison.harness.BenchSession;
import org.ipclab.comparison.harness.CpuPlacement;
import org.ipclab.comparison.harness.Sidecar;
import org.ipclab.core.EchoClient;
import org.ipclab.report.model.Results.Placement;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Streaming echo: one operation pushes {@code streamBytes} through the echo peer in {@code messageBytes}
 * writes while this thread reads the echo back at the same time, checking every byte. Throughput is
 * streamBytes divided by the time of one operation.
 *
 * <p>Writer and reader must run concurrently: written one after the other, the echo would fill the
 * kernel's buffers and both sides would block (see AbstractEchoClient).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StreamBenchmark {

    /**
     * Two patterns that differ in every byte, alternating, as the C floor streams them: a lost, repeated or stale
     * message breaks the alternation and fails the comparison, and the patterns stay as few bytes as the C
     * program's, so neither side's check reads more memory than the other's.
     */
    private static final int PATTERNS = 2;

    /** A transport id ({@code -p transport=ID}); blank: the first transport the registry lists. */
    @Param({""})
    public String transport;

    @Param({"65536"})
    public int messageBytes;

    @Param({"8388608"})
    public int streamBytes;

    @Param({"SAME_CPU"})
    public String placement;

    private BenchSession session;
    private EchoClient client;
    private ExecutorService writer;
    private ByteBuffer[] patterns;
    private ByteBuffer[] toSend;
    private ByteBuffer received;
    private long verifiedBytes;

    @Setup(Level.Trial)
    public void open() throws IOException {
        if (streamBytes % messageBytes != 0) {
            throw new IllegalArgumentException("streamBytes must be a multiple of messageBytes");
        }
        transport = BenchSession.transportId(transport);
        session = BenchSession.acquire(transport);
        client = session.client();
        CpuPlacement.apply(Placement.valueOf(placement));
        SplittableRandom random = new SplittableRandom(messageBytes);
        // Buffers of the kind the transport hands to the kernel as they are (direct for sockets, heap
        // arrays for streams), as a C program passes its own buffers to write(2) and read(2).
        patterns = new ByteBuffer[PATTERNS];
        toSend = new ByteBuffer[PATTERNS];
        byte[] bytes = new byte[messageBytes];
        random.nextBytes(bytes);
        for (int k = 0; k < PATTERNS; k++) {
            if (k > 0) {
                for (int i = 0; i < messageBytes; i++) {
                    bytes[i] = (byte) ~bytes[i];
                }
            }
            patterns[k] = client.allocateBuffer(messageBytes).put(bytes).flip();
            toSend[k] = patterns[k].duplicate();   // the writer's own position; the reader compares patterns[k]
        }
        received = client.allocateBuffer(messageBytes);
        writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "stream-writer");
            t.setDaemon(true);
            return t;
        });
    }

    @Benchmark
    public void stream() throws IOException, InterruptedException, ExecutionException, TimeoutException {
        int messages = streamBytes / messageBytes;
        Future<?> sent = writer.submit(() -> {
            for (int i = 0; i < messages; i++) {
                client.send(toSend[i % PATTERNS].clear());
            }
            return null;
        });
        for (int i = 0; i < messages; i++) {
            client.receive(received.clear());
            if (!received.flip().equals(patterns[i % PATTERNS])) {
                sent.cancel(true);
                throw new IllegalStateException(transport + ": streamed echo differs in message " + i);
            }
        }
        sent.get(30, TimeUnit.SECONDS);
        verifiedBytes += streamBytes;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("kind", "stream");
        record.put("transport", transport);
        record.put("placement", placement);
        record.put("messageBytes", messageBytes);
        record.put("streamBytes", streamBytes);
        record.put("verifiedBytes", verifiedBytes);
        Sidecar.append(record);
        writer.shutdownNow();
        try {
            session.release();
        } finally {
            CpuPlacement.release();
        }
    }
}

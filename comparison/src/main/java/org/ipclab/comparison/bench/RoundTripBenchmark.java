package org.ipclab.comparison.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.ipclab.comparison.harness.BenchSession;
import org.ipclab.comparison.harness.CpuPlacement;
import org.ipclab.comparison.harness.CpuTime;
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
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.runner.IterationType;

/**
 * Round-trip latency: send {@code sizeBytes}, read the echo back, compare it byte for byte. The echo peer
 * runs in a process of its own, pinned as {@code placement} says. {@code Mode.SampleTime} records the
 * time of individual round trips, so the report can show p50 ... p99.9 and the maximum, not an average.
 *
 * <p>Two payloads alternate and differ in every byte, so an echo that returned stale bytes from the
 * previous round trip fails the comparison.
 *
 * <p>Run it alone: {@code ./ipc-lab jmh RoundTripBenchmark -p transport=ID -p sizeBytes=64} (see the README;
 * without {@code -p transport} it measures the first transport the registry lists), or through
 * {@code ./ipc-lab compare}, which runs every transport, size and placement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RoundTripBenchmark {

    /** A transport id ({@code -p transport=ID}); blank: the first transport the registry lists. */
    @Param({""})
    public String transport;

    @Param({"64"})
    public int sizeBytes;

    @Param({"SAME_CPU"})
    public String placement;

    private BenchSession session;
    private EchoClient client;
    private ByteBuffer payloadA;
    private ByteBuffer payloadB;
    private ByteBuffer echo;
    private boolean useB;
    private long verified;

    private boolean measuring;
    private long measuredOps;
    private final CpuTime.Tally cpu = new CpuTime.Tally();

    @Setup(Level.Trial)
    public void open() throws IOException {
        transport = BenchSession.transportId(transport);
        session = BenchSession.acquire(transport);
        client = session.client();
        CpuPlacement.apply(Placement.valueOf(placement));
        byte[] a = new byte[sizeBytes];
        new SplittableRandom(sizeBytes).nextBytes(a);
        byte[] b = new byte[sizeBytes];
        for (int i = 0; i < sizeBytes; i++) {
            b[i] = (byte) ~a[i];
        }
        // buffers of the kind the transport hands to the kernel as they are (direct for sockets), as a
        // C program passes its own buffers to write(2) and read(2)
        payloadA = client.allocateBuffer(sizeBytes).put(a).flip();
        payloadB = client.allocateBuffer(sizeBytes).put(b).flip();
        echo = client.allocateBuffer(sizeBytes);
    }

    @Setup(Level.Iteration)
    public void startIteration(IterationParams iteration) {
        measuring = iteration.getType() == IterationType.MEASUREMENT;
        if (measuring) {
            cpu.start();
        }
    }

    @Benchmark
    public void roundTrip() throws IOException {
        ByteBuffer sent = useB ? payloadB : payloadA;
        useB = !useB;
        client.roundTrip(sent.clear(), echo.clear());
        if (!echo.flip().equals(sent.flip())) {
            throw new IllegalStateException(transport + ": the echo of " + sizeBytes + " bytes differs from what was sent");
        }
        verified++;
        if (measuring) {
            measuredOps++;
        }
    }

    @TearDown(Level.Iteration)
    public void endIteration() {
        if (measuring) {
            cpu.stop();
        }
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("kind", "roundtrip");
        record.put("transport", transport);
        record.put("sizeBytes", sizeBytes);
        record.put("placement", placement);
        record.put("verified", verified);
        record.put("measuredOps", measuredOps);
        record.put("clientCpuNs", cpu.clientNs());
        record.put("serverCpuNs", cpu.serverNs());
        record.put("wallNs", cpu.wallNs());
        Sidecar.append(record);
        try {
            session.release();
        } finally {
            CpuPlacement.release();
        }
    }
}

package org.ipclab.comparison.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.ipclab.comparison.harness.BenchSession;
import org.ipclab.comparison.harness.Sidecar;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoPeer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.FileTrees;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.SetupVariant;
import org.ipclab.core.Transports;
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
 * Set-up cost: the time from nothing to the first echo — connect (TCP handshake, Unix socket), spawn a
 * pipe child (a JVM, or {@code cat}) and wait for its first echo, open a FIFO pair, open a queue — then
 * close. The server, where there is one, is already running. What is set up, and how, is the transport's
 * {@link TransportDescriptor.SetupVariant}: {@code -p variant=KEY} picks one of its descriptor's set-up variants.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SetupBenchmark {

    /** A transport id ({@code -p transport=ID}); blank: the first transport the registry lists. */
    @Param({""})
    public String transport;

    /** The key of one of the transport's set-up variants; "" is its own way (the first variant). */
    @Param({""})
    public String variant;

    private EchoTransport echoTransport;
    private EchoPeer peer;
    private Path scratch;
    private final byte[] probe = {42};
    private final byte[] back = new byte[1];
    private long verified;

    @Setup(Level.Trial)
    public void startPeer() throws IOException {
        transport = BenchSession.transportId(transport);
        echoTransport = Transports.byId(transport);
        SetupVariant setup = echoTransport.descriptor().setupVariant(variant).orElseThrow(() ->
                new IllegalArgumentException(transport + " has no set-up variant '" + variant + "': choose one of "
                        + echoTransport.descriptor().setup().stream().map(v -> "'" + v.key() + "'").toList()));
        scratch = Files.createTempDirectory(Path.of(System.getProperty(BenchSession.SCRATCH_PROPERTY,
                System.getProperty("java.io.tmpdir"))), transport + "-setup-");
        peer = BenchSession.startPeer(echoTransport, scratch, setup.peer().isEmpty() ? null : setup.peer());
    }

    @Benchmark
    public void connectAndFirstEcho() throws IOException {
        try (EchoClient client = peer.connect(BenchSession.clientSettings(echoTransport))) {
            back[0] = 0;
            client.roundTrip(probe, back, 1);
            if (back[0] != 42) {
                throw new IllegalStateException(transport + ": the first echo differs");
            }
            client.finishSending();
        }
        verified++;
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("kind", "setup");
        record.put("transport", transport);
        record.put("variant", variant);
        record.put("verified", verified);
        Sidecar.append(record);
        try {
            peer.close();
        } finally {
            FileTrees.delete(scratch);
        }
    }
}

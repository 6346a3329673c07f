package org.ipclab.comparison.harness;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.Closer;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoPeer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.FileTrees;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.Transports;

/**
 * One transport set up the way every measurement uses it: the echo peer in a process of its own (a server
 * JVM started with {@link ForkedPeer}, or the child a pipe client forks), and one client in this JVM.
 */
public final class BenchSession implements AutoCloseable {

    /** Where benchmarks put scratch files and server logs; set by the harness (system properties survive JMH forks). */
    public static final String SCRATCH_PROPERTY = "ipclab.bench.scratch";

    /**
     * When "true" (the harness sets it for JMH runs in its own JVM), {@link #acquire} keeps one session per
     * transport open across measurements, so the echo peer starts once per transport, not once per size.
     */
    public static final String REUSE_PROPERTY = "ipclab.bench.reuse";

    static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final Map<String, BenchSession> SHARED = new java.util.HashMap<>();

    private final EchoTransport transport;
    private final EchoPeer peer;
    private final EchoClient client;
    private final Path scratch;

    private BenchSession(EchoTransport transport, EchoPeer peer, EchoClient client, Path scratch) {
        this.transport = transport;
        this.peer = peer;
        this.client = client;
        this.scratch = scratch;
    }

    /**
     * The transport a benchmark's {@code transport} parameter names. JMH wants a default for every parameter; the
     * benchmarks name no transport, so theirs is blank, which means the first transport the registry lists: then
     * {@code ./ipc-lab jmh RoundTripBenchmark} runs without {@code -p transport=ID}.
     */
    public static String transportId(String parameter) {
        if (parameter != null && !parameter.isBlank()) {
            return parameter;
        }
        return Transports.all().stream().findFirst().map(EchoTransport::id)
                .orElseThrow(() -> new IllegalStateException("no transport is registered (META-INF/services)"));
    }

    /** A session for {@code transportId}: the shared one when reuse is on, else a new one. Give it back with {@link #release}. */
    public static BenchSession acquire(String transportId) throws IOException {
        if (!Boolean.getBoolean(REUSE_PROPERTY)) {
            return open(transportId);
        }
        synchronized (SHARED) {
            BenchSession session = SHARED.get(transportId);
            if (session == null) {
                session = open(transportId);
                SHARED.put(transportId, session);
            }
            return session;
        }
    }

    /** Ends a measurement's use of this session: closes it unless it is shared. */
    public void release() throws IOException {
        synchronized (SHARED) {
            if (SHARED.get(transport.id()) == this) {
                return;
            }
        }
        close();
    }

    /** Closes every shared session (after a transport's measurements, after a failure, at the end). */
    public static void closeShared() throws IOException {
        List<BenchSession> sessions;
        synchronized (SHARED) {
            sessions = new java.util.ArrayList<>(SHARED.values());
            SHARED.clear();
        }
        Closer.closeAll(sessions.toArray(new AutoCloseable[0]));
    }

    /** Starts the peer for {@code transportId} and connects one client. */
    public static BenchSession open(String transportId) throws IOException {
        return open(transportId, null);
    }

    /**
     * @param endpointOverride for transports whose client spawns the peer: the child command line (e.g. "cat");
     *                         null for the transport's own scratch endpoint
     */
    public static BenchSession open(String transportId, String endpointOverride) throws IOException {
        EchoTransport transport = Transports.byId(transportId);
        Path scratch = Files.createTempDirectory(scratchRoot(), transportId + "-");
        EchoPeer peer = null;
        try {
            peer = startPeer(transport, scratch, endpointOverride);
            EchoClient client = peer.connect(clientSettings(transport));
            return new BenchSession(transport, peer, client, scratch);
        } catch (IOException | RuntimeException e) {
            Closer.closeQuietly(e, peer);
            deleteTree(scratch);
            throw e;
        }
    }

    /** The peer alone, for measurements that connect many clients to it (set-up cost). */
    public static EchoPeer startPeer(EchoTransport transport, Path scratch, String endpointOverride) throws IOException {
        String endpoint = endpointOverride != null ? endpointOverride : transport.scratchEndpoint(scratch);
        // the transport's own benchmark settings (a busy-spinning pauser, say), the same for every measurement
        Map<String, String> options = transport.descriptor().bench().options();
        if (transport.clientSpawnsPeer()) {
            return EchoPeer.inProcess(transport, endpoint, ServerSettings.defaults().withOptions(options));
        }
        Path log = scratch.resolve("server.log");
        return ForkedPeer.start(transport, endpoint, ForkedPeer.Options.defaults()
                .withOptions(options)
                .withStderr(Redirect.appendTo(log.toFile())));
    }

    public static ClientSettings clientSettings(EchoTransport transport) {
        return ClientSettings.defaults().withTimeout(TIMEOUT).withOptions(transport.descriptor().bench().options());
    }

    static Path scratchRoot() throws IOException {
        String configured = System.getProperty(SCRATCH_PROPERTY);
        Path root = configured != null ? Path.of(configured) : Path.of(System.getProperty("java.io.tmpdir"));
        Files.createDirectories(root);
        return root;
    }

    public EchoTransport transport() {
        return transport;
    }

    public EchoClient client() {
        return client;
    }

    @Override
    public void close() throws IOException {
        try {
            Closer.closeAll(client, peer);
        } finally {
            deleteTree(scratch);
        }
    }

    static void deleteTree(Path dir) {
        FileTrees.deleteQuietly(dir);
    }
}

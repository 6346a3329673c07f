package org.ipclab.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.ipclab.core.cli.TransportCli;
import org.ipclab.core.experiments.TransportExperiments;

/**
 * One IPC mechanism that can carry bytes to an echo peer and back.
 *
 * <p>The echo contract is the lab's and RFC 862's: every byte a client sends comes back, in order,
 * unchanged, until the client closes. Stream transports (tcp, unix, pipe, fifo) stay raw byte echoes
 * with no framing, so a plain {@code nc} or {@code cat} can stand in for either side; message
 * transports (chronicle, posix-mq) carry the same bytes as messages and reassemble them.
 *
 * <p>Every transport is found through {@link java.util.ServiceLoader} (see {@link Transports}), so the
 * command line, the tests and the comparison harness drive all of them the same way:
 * {@link #serve} runs the echo peer in the calling process, {@link #connect} attaches a client to a peer
 * named by an endpoint string, and {@link EchoPeer} runs the peer in its own OS process.
 */
public interface EchoTransport {

    /** The transport's id, used everywhere (CLI, results, report): its descriptor's. */
    default String id() {
        return descriptor().id();
    }

    /** One line for humans: what this transport is, e.g. "TCP over loopback (AF_INET stream socket)". */
    default String summary() {
        return descriptor().summary();
    }

    /**
     * Why this transport cannot run on this machine, or empty when it can. The harness lists an unavailable
     * transport as skipped with this reason instead of failing.
     */
    default Optional<String> unavailableReason() {
        return Optional.empty();
    }

    /**
     * What this transport needs for a whole run before its echo server can start (a broker), opened by the harness
     * once per run and closed after it; empty, the default, when it needs nothing. The environment's
     * {@link RunEnvironment#systemProperties()} are set before {@link #scratchEndpoint} is asked.
     *
     * @param scratchDir a directory private to this run, deleted after it
     */
    default Optional<RunEnvironment> openEnvironment(Path scratchDir) throws IOException {
        return Optional.empty();
    }

    /**
     * An endpoint private to one test or one run: an ephemeral port, a path inside {@code scratchDir}, a
     * unique queue name. The returned string is what {@link #serve} and {@link #connect} take.
     */
    String scratchEndpoint(Path scratchDir) throws IOException;

    /**
     * Starts the echo peer in this process at {@code endpoint} and returns once clients can connect.
     * {@link EchoServer#endpoint()} gives the resolved endpoint (e.g. the port the kernel chose for port 0).
     */
    EchoServer serve(String endpoint, ServerSettings settings) throws IOException;

    /** Connects one client to the echo peer at {@code endpoint}, bounded by {@link ClientSettings#timeout()}. */
    EchoClient connect(String endpoint, ClientSettings settings) throws IOException;

    /**
     * True when a client brings its own peer, as an anonymous pipe does (the client forks the echo child):
     * then there is no server to start, and {@link #serve} only checks the endpoint.
     */
    default boolean clientSpawnsPeer() {
        return false;
    }

    /** Everything the CLI, the comparison and the report need to know about this transport. */
    TransportDescriptor descriptor();

    /** The options and messages of {@code ipc-lab server ID} and {@code ipc-lab client ID}. */
    TransportCli cli();

    /** The property experiments: this transport's answer to each question of the property matrix. */
    TransportExperiments experiments();
}

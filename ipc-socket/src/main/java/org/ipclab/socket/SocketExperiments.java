package org.ipclab.socket;

import java.io.IOException;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ipclab.core.Closer;
import org.ipclab.core.Errnos;
import org.ipclab.core.experiments.Boundaries;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.ChildJvm;
import org.ipclab.core.experiments.ChildSide;
import org.ipclab.core.experiments.Probes;
import org.ipclab.core.experiments.TransportExperiments;

/**
 * The experiments TCP and Unix stream sockets share: both are connected byte streams with a kernel buffer on each
 * side, made by listen/connect/accept. Subclasses say how to listen and connect, and answer the questions where
 * the two differ (a peer that is not there, who can reach the listener).
 */
abstract class SocketExperiments implements TransportExperiments {

    static final int CRASH_BYTES = 1000;
    static final int CLIENTS = 8;
    static final int CLIENT_BYTES = 1024;
    /** Stop filling a socket after this much even if it never pushes back (it always does, far earlier). */
    static final long FILL_LIMIT_BYTES = 256L << 20;
    static final Duration SETTLE = Duration.ofMillis(50);

    /** A bound, listening socket (bind(2) + listen(2)). */
    abstract ServerSocketChannel listen(Path dir) throws IOException;

    abstract SocketChannel openClient() throws IOException;

    /** The child's child mode and argument for a server that accepts and never reads. */
    abstract String[] holdingServer(Path dir);

    /** The address a holding server announced in its READY line. */
    abstract SocketAddress announced(String ready, Path dir) throws IOException;

    /** What the kernel tells about the bytes the server has not read (TCP: /proc/net/tcp), or "". */
    String unreadAtServer(SocketChannel client) {
        return "";
    }

    /** The kernel's buffer settings that bound the fill, for the evidence. */
    abstract String bufferSettings(SocketChannel writer, SocketChannel reader) throws IOException;

    /** A connected pair of sockets and the listener that made it. */
    record Pair(ServerSocketChannel listener, SocketChannel client, SocketChannel server) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            Closer.closeAll(client, server, listener);
        }
    }

    Pair connectedPair(Path dir) throws IOException {
        ServerSocketChannel listener = listen(dir);
        SocketChannel client = null;
        try {
            client = openClient();
            SocketIo.connect(client, listener.getLocalAddress(), SocketIo.TIMEOUT);
            return new Pair(listener, client, SocketIo.accept(listener, SocketIo.TIMEOUT));
        } catch (IOException | RuntimeException e) {
            Closer.closeQuietly(e, client, listener);
            throw e;
        }
    }

    @Override
    public Cell direction(Path dir) throws IOException {
        byte[] request = "client to server".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] reply = "server back to client".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (Pair pair = connectedPair(dir)) {
            /* One socket per side, each with a send and a receive buffer in the kernel: the two directions are
             * independent, so both ends may write at once (full duplex). Watch both queues: `ss -tn` / `ss -xn`. */
            SocketIo.writeAll(pair.client(), ByteBuffer.wrap(request), SocketIo.TIMEOUT);
            byte[] got = SocketIo.readExactly(pair.server(), request.length, SocketIo.TIMEOUT);
            SocketIo.writeAll(pair.server(), ByteBuffer.wrap(reply), SocketIo.TIMEOUT);
            byte[] back = SocketIo.readExactly(pair.client(), reply.length, SocketIo.TIMEOUT);
            boolean both = Arrays.equals(got, request) && Arrays.equals(back, reply);
            return Cell.measured(both ? "duplex" : "one-way only",
                    "On one connected socket pair the client wrote " + request.length + " B that the server read, "
                            + "then the server wrote " + reply.length + " B back on the same socket and the client read "
                            + (both ? "them" : "something else") + ": each side has its own send and receive buffer.");
        }
    }

    @Override
    public Cell messageBoundaries(Path dir) throws IOException {
        return boundaries(dir).streamCell("The client wrote");
    }

    Boundaries boundaries(Path dir) throws IOException {
        try (Pair pair = connectedPair(dir)) {
            beforeBoundaryWrites(pair.client());
            List<Integer> writes = Boundaries.WRITES;
            for (int i = 0; i < writes.size(); i++) {
                SocketIo.writeAll(pair.client(), ByteBuffer.wrap(Boundaries.payload(writes.get(i), i)), SocketIo.TIMEOUT);
            }
            // Give the kernel time to deliver all three writes before the single read, as a slow reader would see.
            sleep(SETTLE);
            ByteBuffer into = ByteBuffer.allocate(Boundaries.READ_BUFFER_BYTES);
            int total = writes.stream().mapToInt(Integer::intValue).sum();
            return new Boundaries(writes, SocketIo.readUntil(pair.server(), into, total, SocketIo.TIMEOUT));
        }
    }

    /** TCP turns off Nagle's algorithm here, so each write leaves as its own segment. */
    void beforeBoundaryWrites(SocketChannel client) throws IOException {
    }

    /** What a non-blocking writer could write into a connection whose reader never reads. */
    record Fill(long acceptedBytes, boolean pushedBack, String settings) {
    }

    @Override
    public Cell capacityBeforeWriterBlocks(Path dir) throws IOException {
        Fill fill = fill(dir);
        if (!fill.pushedBack()) {
            return Cell.measured("more than " + fill.acceptedBytes() + " B",
                    "Non-blocking writes with no reader reading were still accepted after " + fill.acceptedBytes()
                            + " B; the experiment stopped there. " + fill.settings() + ".");
        }
        return Cell.measured(fill.acceptedBytes() + " B (socket buffers)",
                "With the reader never reading, non-blocking writes of 64 KiB were accepted until write(2) returned "
                        + "EAGAIN (Java: 0 bytes) after " + fill.acceptedBytes() + " B in total; a blocking writer "
                        + "would sleep there. The bytes sit in kernel socket buffers: "
                        + fill.settings() + ".");
    }

    Fill fill(Path dir) throws IOException {
        try (Pair pair = connectedPair(dir)) {
            SocketChannel writer = pair.client();
            writer.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocateDirect(64 * 1024);
            long accepted = 0;
            int refusals = 0;
            /* write(2) on a non-blocking socket: the kernel copies what fits into the send buffer and returns the
             * count, or fails with EAGAIN (Java returns 0) when the buffers are full. The fill is retried a few
             * times because on loopback the receiver's buffer keeps taking data just after the first refusal.
             * Watch it fill: `ss -tnm` / `ss -xnm` (Send-Q, Recv-Q, skmem). */
            while (accepted < FILL_LIMIT_BYTES && refusals < 3) {
                chunk.clear();
                int n = writer.write(chunk);
                if (n == 0) {
                    refusals++;
                    sleep(Duration.ofMillis(20));
                } else {
                    refusals = 0;
                    accepted += n;
                }
            }
            return new Fill(accepted, refusals >= 3, bufferSettings(writer, pair.server()));
        }
    }

    @Override
    public Cell survivesCrash(Path dir) throws IOException {
        String[] mode = holdingServer(dir);
        try (ChildJvm server = ChildJvm.start(transport(), mode[0], mode[1])) {
            SocketAddress address = announced(server.awaitLine(ChildSide.READY, ChildJvm.START_TIMEOUT), dir);
            try (SocketChannel client = openClient()) {
                SocketIo.connect(client, address, SocketIo.TIMEOUT);
                server.awaitLine(ChildSide.ACCEPTED, SocketIo.TIMEOUT);
                SocketIo.writeAll(client, ByteBuffer.wrap(new byte[CRASH_BYTES]), SocketIo.TIMEOUT);
                sleep(SETTLE);
                String unread = unreadAtServer(client);
                int exitCode = server.kill(SocketIo.TIMEOUT);
                /* The dead server's descriptors were closed by the kernel. Closing a socket whose receive buffer
                 * still holds unread bytes makes the kernel throw the bytes away and reset the connection (TCP sends
                 * RST instead of FIN; AF_UNIX marks the peer ECONNRESET): the reset is the kernel saying "data was
                 * lost". Watch it: `tcpdump -i lo tcp port <port>` shows the RST. */
                String seen;
                try {
                    List<Integer> reads = SocketIo.readUntil(client, ByteBuffer.allocate(64), 1, SocketIo.TIMEOUT);
                    seen = reads.isEmpty() ? "end of stream (read returned -1)" : "read returned " + reads.get(0) + " B";
                } catch (IOException e) {
                    seen = Errnos.describe(e);
                }
                boolean reset = seen.startsWith("ECONNRESET");
                return Cell.measured(reset ? "no: lost (ECONNRESET)" : "no: the socket is gone (" + seen + ")",
                        "A child server process accepted our connection and never read; we wrote " + CRASH_BYTES + " B"
                                + unread + ", then SIGKILLed it (exit " + org.ipclab.core.ChildProcess.describeExitCode(exitCode)
                                + "). Our next read: " + seen + ". The bytes lived only in the dead process's socket "
                                + "buffer, which the kernel freed with its last descriptor; a new server starts empty.");
            }
        }
    }

    /** What N concurrent clients of one listener saw. */
    record ManyClients(int clients, int separateStreams, int intactEchoes, Set<String> peers) {
    }

    @Override
    public Cell manyClients(Path dir) throws IOException {
        ManyClients seen = manyClientsProbe(dir);
        boolean ok = seen.separateStreams() == seen.clients() && seen.intactEchoes() == seen.clients();
        return Cell.measured(ok ? "yes: a stream per client (" + seen.intactEchoes() + "/" + seen.clients() + ")"
                        : "mixed: " + seen.separateStreams() + " of " + seen.clients() + " streams separate",
                seen.clients() + " clients connected to one listening socket before any was served; accept(2) returned "
                        + seen.separateStreams() + " separate sockets, each carrying only its own client's "
                        + CLIENT_BYTES + " B, and " + seen.intactEchoes() + " of " + seen.clients()
                        + " clients got exactly their own bytes back" + describePeers(seen.peers()) + ".");
    }

    String describePeers(Set<String> peers) {
        return "";
    }

    ManyClients manyClientsProbe(Path dir) throws IOException {
        List<SocketChannel> clients = new ArrayList<>();
        List<SocketChannel> accepted = new ArrayList<>();
        try (ServerSocketChannel listener = listen(dir)) {
            /* All clients connect before the server accepts any: the kernel completes each connection on its own
             * and queues it on the listener (the accept queue, capped by the backlog). Watch: `ss -ltn` Recv-Q. */
            for (int i = 0; i < CLIENTS; i++) {
                SocketChannel client = openClient();
                clients.add(client);
                SocketIo.connect(client, listener.getLocalAddress(), SocketIo.TIMEOUT);
            }
            Set<String> peers = new HashSet<>();
            for (int i = 0; i < CLIENTS; i++) {
                SocketChannel server = SocketIo.accept(listener, SocketIo.TIMEOUT);
                accepted.add(server);
                peers.add(String.valueOf(server.getRemoteAddress()));
            }
            for (int i = 0; i < CLIENTS; i++) {
                byte[] mine = new byte[CLIENT_BYTES];
                Arrays.fill(mine, (byte) i);
                SocketIo.writeAll(clients.get(i), ByteBuffer.wrap(mine), SocketIo.TIMEOUT);
            }
            int separate = 0;
            Set<Byte> owners = new HashSet<>();
            for (SocketChannel server : accepted) {
                byte[] got = SocketIo.readExactly(server, CLIENT_BYTES, SocketIo.TIMEOUT);
                if (Probes.uniform(got) && owners.add(got[0])) {
                    separate++;
                }
                SocketIo.writeAll(server, ByteBuffer.wrap(got), SocketIo.TIMEOUT);
            }
            int intact = 0;
            for (int i = 0; i < CLIENTS; i++) {
                byte[] back = SocketIo.readExactly(clients.get(i), CLIENT_BYTES, SocketIo.TIMEOUT);
                if (Probes.uniform(back) && back[0] == (byte) i) {
                    intact++;
                }
            }
            return new ManyClients(CLIENTS, separate, intact, peers);
        } finally {
            Closer.closeAll(clients.toArray(new AutoCloseable[0]));
            Closer.closeAll(accepted.toArray(new AutoCloseable[0]));
        }
    }
    /**
     * getsockopt(2) SO_SNDBUF / SO_RCVBUF as the kernel returns them. The kernel reserves twice what setsockopt asks
     * for (the rest pays for its bookkeeping) and returns the doubled figure; on Linux the JDK halves it again so
     * that get returns what set was given. The kernel's figure is the one `ss -tm` shows, so it is doubled back here.
     */
    static String socketBuffers(SocketChannel writer, SocketChannel reader) throws IOException {
        return "getsockopt SO_SNDBUF of the writer " + 2L * writer.getOption(StandardSocketOptions.SO_SNDBUF)
                + " B, SO_RCVBUF of the reader " + 2L * reader.getOption(StandardSocketOptions.SO_RCVBUF) + " B";
    }

    static void sleep(Duration duration) throws IOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}

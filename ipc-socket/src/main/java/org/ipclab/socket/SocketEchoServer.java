package org.ipclab.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;

/**
 * An echo server for stream sockets, TCP or Unix domain: one thread, one {@link Selector} (epoll(7) on
 * Linux), every connection non-blocking.
 *
 * <p>Memory is bounded: the server reads into one {@value #BUFFER_BYTES}-byte buffer shared by all
 * connections and writes it straight back. Only when a client does not take its echo fast enough does
 * that connection get a buffer of its own for the rest, and the server stops reading from it until the
 * rest is written: the client meets back pressure (its send buffer fills and its write(2) blocks). An
 * idle connection costs no buffer at all, and no message is ever held whole, so a 100 MiB echo costs the
 * server the same memory as a 1 B one.
 *
 * <p>Half-close: when a client shuts down its output (read returns -1), the server finishes writing what
 * it still holds, then closes. A connection idle for longer than the idle timeout is closed.
 */
public final class SocketEchoServer implements EchoServer {

    static final int BUFFER_BYTES = 64 * 1024;
    static final int MAX_SPARE_BUFFERS = 64;
    static final int MAX_READS_PER_WAKEUP = 16;

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Thread loop;
    private final String endpoint;
    private final Path socketFile;
    private final ServerSettings settings;
    private final Consumer<String> log;
    private final long idleTimeoutNs;
    private final CountDownLatch stopped = new CountDownLatch(1);
    /** One read buffer for every connection: the server thread echoes it out before it reads again. */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private final java.util.ArrayDeque<ByteBuffer> spare = new java.util.ArrayDeque<>();
    private volatile boolean running = true;
    private volatile int connections;
    private long accepted;

    private SocketEchoServer(ServerSocketChannel listener, String endpoint, Path socketFile, ServerSettings settings)
            throws IOException {
        this.listener = listener;
        this.endpoint = endpoint;
        this.socketFile = socketFile;
        this.settings = settings;
        this.log = settings.log();
        this.idleTimeoutNs = settings.idleTimeout().toNanos();
        this.selector = Selector.open();
        listener.configureBlocking(false);
        listener.register(selector, SelectionKey.OP_ACCEPT);
        this.loop = new Thread(this::run, "echo-server " + endpoint);
        loop.setDaemon(true);
        loop.start();
    }

    /** Listens on a TCP address (port 0: the kernel picks a free port). */
    public static SocketEchoServer openTcp(InetSocketAddress address, ServerSettings settings) throws IOException {
        // An IPv4 address gets an AF_INET socket: Java's default is a dual-stack AF_INET6 socket, which
        // would show up as [::ffff:127.0.0.1] in `ss` and in /proc/net/tcp6 instead of /proc/net/tcp.
        ServerSocketChannel listener = ServerSocketChannel.open(familyOf(address));
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            /* bind(2) + listen(2): from here the KERNEL answers connection requests on this port and
             * completes the TCP handshake even when we never call accept(); finished connections wait in
             * the accept queue, whose length is capped by the backlog (clamped to net.core.somaxconn).
             * Java turns a backlog below 1 into 50. Watch it: `ss -ltn` shows Recv-Q (waiting now) and
             * Send-Q (the cap) of the LISTEN socket. Man pages: bind(2), listen(2), tcp(7). */
            listener.bind(address, settings.backlog());
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) listener.getLocalAddress();
        SocketEchoServer server = new SocketEchoServer(listener, SocketEndpoints.format(bound), null, settings);
        if (!bound.getAddress().isLoopbackAddress()) {
            settings.log().accept("WARNING: listening on " + server.endpoint
                    + ", which other hosts can reach; use --bind 127.0.0.1 to keep it on this machine");
        }
        return server;
    }

    static StandardProtocolFamily familyOf(InetSocketAddress address) {
        return address.getAddress() instanceof java.net.Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    }

    /** Listens on a Unix domain socket file; a stale file from a crashed run is replaced. */
    public static SocketEchoServer openUnix(Path path, ServerSettings settings) throws IOException {
        UnixSockets.prepareForBind(path, settings.log());
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            /* bind(2) on AF_UNIX creates the socket file (type 's' in `ls -l`); it lives in the filesystem,
             * so file permissions decide who may connect, and only processes on this host can. listen(2)
             * works as for TCP. Watch it: `ss -xl`, `ls -l <path>`. Man page: unix(7). */
            listener.bind(UnixDomainSocketAddress.of(path), settings.backlog());
            UnixSockets.restrictToOwner(path);
        } catch (IOException e) {
            listener.close();
            throw e;
        }
        return new SocketEchoServer(listener, path.toString(), path, settings);
    }

    /** What the kernel was asked for and what it applies, for the server's first log line. */
    public String describeBacklog() {
        return Backlog.describe(settings.backlog());
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    /** Connections open right now (read from the server thread's count; approximate from others). */
    public int openConnections() {
        return connections;
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() throws IOException {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        try {
            if (!stopped.await(5, TimeUnit.SECONDS)) {
                log.accept("server thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        try {
            long tickMs = idleTimeoutNs > 0 ? Math.max(10, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(idleTimeoutNs) / 4)) : 0;
            while (running) {
                /* epoll_wait(2): sleep until a socket is readable, writable or has a connection to accept.
                 * Watch it: `strace -f -e trace=epoll_wait,accept,read,write -p <pid>`. */
                selector.select(tickMs);
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key);
                }
                selector.selectedKeys().clear();
                if (idleTimeoutNs > 0) {
                    closeIdle(System.nanoTime());
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (running) {
                log.accept("server stopped: " + e.getMessage());
            }
        } finally {
            shutdown();
            stopped.countDown();
        }
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            acceptAll();
            return;
        }
        Connection connection = (Connection) key.attachment();
        try {
            if (key.isReadable()) {
                connection.onReadable();
            } else if (key.isWritable()) {
                connection.onWritable();
            }
        } catch (IOException e) {
            connection.close("connection from " + connection.remote + " failed: " + e.getMessage());
        }
    }

    private void acceptAll() {
        while (true) {
            SocketChannel channel;
            try {
                /* accept(2): take one finished connection off the accept queue. A new file descriptor
                 * appears in `ls -l /proc/<pid>/fd`. Non-blocking: null once the queue is empty. */
                channel = listener.accept();
            } catch (IOException e) {
                log.accept("accept failed: " + e.getMessage());
                return;
            }
            if (channel == null) {
                return;
            }
            String remote = remoteOf(channel);
            if (connections >= settings.maxConnections()) {
                log.accept("Refused " + remote + ": already " + connections + " connections (the cap is "
                        + settings.maxConnections() + "; raise it with --max-connections)");
                closeQuietly(channel);
                continue;
            }
            try {
                channel.configureBlocking(false);
                if (channel.getLocalAddress() instanceof InetSocketAddress) {
                    // Nagle's algorithm would hold small echoes back for up to 40 ms waiting for an ACK.
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
                Connection connection = new Connection(channel, remote);
                connection.key = channel.register(selector, SelectionKey.OP_READ, connection);
                connections++;
                accepted++;
                log.accept("Connected by " + remote);
            } catch (IOException e) {
                log.accept("could not set up the connection from " + remote + ": " + e.getMessage());
                closeQuietly(channel);
            }
        }
    }

    private void closeIdle(long now) {
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection connection
                    && now - connection.lastActivityNs > idleTimeoutNs) {
                connection.close("Closed " + connection.remote + ": idle for more than "
                        + TimeUnit.NANOSECONDS.toSeconds(idleTimeoutNs) + " s");
            }
        }
    }

    private void shutdown() {
        try {
            for (SelectionKey key : selector.keys()) {
                if (key.attachment() instanceof Connection connection) {
                    connection.close(null);
                }
            }
        } catch (ClosedSelectorException ignored) {
            // already closed: nothing left to close
        }
        closeQuietly(listener);
        closeQuietly(selector);
        if (socketFile != null) {
            try {
                Files.deleteIfExists(socketFile);
            } catch (IOException e) {
                log.accept("could not remove " + socketFile + ": " + e.getMessage());
            }
        }
    }

    private static String remoteOf(SocketChannel channel) {
        try {
            SocketAddress remote = channel.getRemoteAddress();
            if (remote instanceof InetSocketAddress inet) {
                return inet.getAddress() + ":" + inet.getPort();   // "/127.0.0.1:5449", as the lab prints it
            }
            // Unix domain clients are usually unnamed; SO_PEERCRED tells which user the process runs as.
            try {
                return "a local process of user "
                        + channel.getOption(jdk.net.ExtendedSocketOptions.SO_PEERCRED).user().getName();
            } catch (IOException | UnsupportedOperationException e) {
                return "a local process";
            }
        } catch (IOException e) {
            return "an unknown peer";
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing on the way out: there is nothing better to do with the failure
        }
    }

    /** Buffers for echoes a slow client has not taken yet; kept for reuse, up to a bound. */
    private ByteBuffer takePending() {
        ByteBuffer buffer = spare.pollFirst();
        return buffer != null ? buffer.clear() : ByteBuffer.allocateDirect(BUFFER_BYTES);
    }

    private void givePending(ByteBuffer buffer) {
        if (spare.size() < MAX_SPARE_BUFFERS) {
            spare.addFirst(buffer);
        }
    }

    /** One client: its channel, the echo it still owes (only while the client is slow), whether it has finished sending. */
    private final class Connection {
        final SocketChannel channel;
        final String remote;
        ByteBuffer pending;
        SelectionKey key;
        long lastActivityNs = System.nanoTime();
        boolean closed;

        Connection(SocketChannel channel, String remote) {
            this.channel = channel;
            this.remote = remote;
        }

        void onReadable() throws IOException {
            for (int reads = 0; reads < MAX_READS_PER_WAKEUP; reads++) {
                readBuffer.clear();
                /* read(2): copy what the kernel has queued for this socket into our buffer. 0: nothing more
                 * for now; -1: the client shut down its side (FIN received), nothing more will come. */
                int n = channel.read(readBuffer);
                if (n < 0) {
                    // nothing is pending (we do not read while an echo is owed): every byte was echoed
                    close("Closed " + remote + ": the client finished sending and every byte was echoed");
                    return;
                }
                if (n == 0) {
                    return;
                }
                lastActivityNs = System.nanoTime();
                readBuffer.flip();
                /* write(2): copy the echo into the socket's send buffer. When the client does not read, that
                 * buffer fills and write takes less than we offer: back pressure. We keep the rest, stop
                 * reading from this client and wait until the socket is writable again (OP_WRITE). */
                channel.write(readBuffer);
                if (readBuffer.hasRemaining()) {
                    pending = takePending();
                    pending.put(readBuffer).flip();
                    key.interestOps(SelectionKey.OP_WRITE);
                    return;
                }
                if (n < readBuffer.capacity()) {
                    return;   // we drained what was queued; epoll will tell us when more arrives
                }
            }
        }

        void onWritable() throws IOException {
            channel.write(pending);
            if (pending.hasRemaining()) {
                return;
            }
            givePending(pending);
            pending = null;
            key.interestOps(SelectionKey.OP_READ);
        }

        void close(String why) {
            if (closed) {
                return;
            }
            closed = true;
            connections--;
            if (key != null) {
                key.cancel();
            }
            if (pending != null) {
                givePending(pending);
                pending = null;
            }
            closeQuietly(channel);
            if (why != null) {
                log.accept(why);
            }
        }
    }
}

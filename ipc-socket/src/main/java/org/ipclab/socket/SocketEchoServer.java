package org.ipclab.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.Watchdog;

/**
 * An echo server for stream sockets, TCP or Unix domain, written as the lab's C and Python servers are:
 * one thread blocks in accept(2), and each connection gets a thread that blocks in read(2) and writes what
 * it read straight back with write(2). Two system calls per echo, and the kernel wakes exactly the thread
 * whose socket has data.
 *
 * <p>Why not one thread and a {@code Selector} (epoll)? It holds no buffer for an idle connection, but
 * every echo costs epoll_wait(2) on top of read and write, and a slow client costs two epoll_ctl(2) calls
 * and a partial write each time its buffer fills. This design makes the same system calls per echo as the
 * C floor's blocking server, so the comparison with C measures the JVM, not a different design (the
 * report has the numbers). Watch it: {@code strace -f -e trace=read,write,epoll_wait -p <pid>}.
 *
 * <p>Memory: each open connection holds a thread with a {@value #STACK_BYTES}-byte stack and one direct
 * read buffer ({@value #SMALL_BUFFER_BYTES} bytes, {@value #BUFFER_BYTES} once the client sends more than
 * that at once), whatever the message size: a 100 MiB echo costs what a 1 B one does, because the server
 * never holds more than one read's worth. Threads, with their buffers, are reused by later connections. Back pressure is the kernel's: when a client does not read its echo, the server's write(2)
 * blocks, so it stops reading, and the client's own write(2) blocks once its send buffer is full.
 *
 * <p>Bounds: a connection with no activity (no read or write returned) for longer than the idle timeout
 * is closed by a watchdog, which wakes the blocked call; connections beyond the cap are closed at once.
 * Half-close: when a client shuts down its output (read returns -1), everything it sent has already been
 * echoed, and the server closes.
 */
public final class SocketEchoServer implements EchoServer {

    static final int BUFFER_BYTES = 64 * 1024;
    static final int SMALL_BUFFER_BYTES = 4 * 1024;
    static final int STACK_BYTES = 256 * 1024;

    private final ServerSocketChannel listener;
    private final ServerModel model;
    private final Thread acceptor;
    private final ExecutorService workers;
    /** The hybrid model's selector for the connections beyond its threads (null for the other models). */
    private final NioEchoServer overflow;
    private final ScheduledFuture<?> watchdog;
    private final String endpoint;
    private final Path socketFile;
    private final ServerSettings settings;
    private final Consumer<String> log;
    private final long idleTimeoutNs;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicBoolean closing = new AtomicBoolean();
    private volatile boolean running = true;

    private SocketEchoServer(ServerSocketChannel listener, String endpoint, Path socketFile, ServerSettings settings,
            ServerModel model) {
        this.listener = listener;
        this.model = model;
        this.endpoint = endpoint;
        this.socketFile = socketFile;
        this.settings = settings;
        this.log = settings.log();
        this.idleTimeoutNs = settings.idleTimeout().toNanos();
        this.workers = ConnectionThreads.forModel(model, endpoint, STACK_BYTES);
        this.overflow = model == ServerModel.HYBRID ? NioEchoServer.forHandedOver(endpoint, settings) : null;
        if (idleTimeoutNs > 0) {
            long tickMs = Math.max(10, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(idleTimeoutNs) / 4));
            this.watchdog = Watchdog.every(tickMs, this::closeIdle);
        } else {
            this.watchdog = null;
        }
        this.acceptor = new Thread(this::acceptLoop, "echo-server " + endpoint);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Listens on a TCP address (port 0: the kernel picks a free port). */
    public static SocketEchoServer openTcp(InetSocketAddress address, ServerSettings settings) throws IOException {
        return openTcp(address, settings, ServerModel.DEFAULT);
    }

    /**
     * Listens on a TCP address and gives connections threads as {@code model} says ({@link ServerModel#NIO} is
     * {@link NioEchoServer}'s, not this class's).
     */
    public static SocketEchoServer openTcp(InetSocketAddress address, ServerSettings settings, ServerModel model)
            throws IOException {
        if (model == ServerModel.NIO) {
            throw new IllegalArgumentException("the nio model is NioEchoServer's");
        }
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
        SocketEchoServer server = new SocketEchoServer(listener, SocketEndpoints.format(bound), null, settings, model);
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
        return new SocketEchoServer(listener, path.toString(), path, settings, ServerModel.THREADS);
    }

    /** What the kernel was asked for and what it applies, for the server's first log line. */
    public String describeBacklog() {
        return Backlog.describe(settings.backlog());
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    /** How this server gives its connections threads. */
    public ServerModel model() {
        return model;
    }

    /** Connections open right now (with the hybrid model, those on threads and those on the selector). */
    public int openConnections() {
        return connections.get() + (overflow == null ? 0 : overflow.openConnections());
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() throws IOException {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        running = false;
        try {
            closeQuietly(listener);   // wakes the acceptor's blocked accept(2) with AsynchronousCloseException
            for (Connection connection : open) {
                connection.close(null);   // wakes each blocked read(2)/write(2) the same way
            }
            if (workers != null) {
                workers.shutdown();
            }
            if (watchdog != null) {
                watchdog.cancel(false);
            }
            if (overflow != null) {
                overflow.close();   // closes every connection its selector holds
            }
            try {
                acceptor.join(5_000);
                if (workers != null && !workers.awaitTermination(5, TimeUnit.SECONDS)) {
                    log.accept("connection threads did not stop within 5 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (socketFile != null) {
                try {
                    Files.deleteIfExists(socketFile);
                } catch (IOException e) {
                    log.accept("could not remove " + socketFile + ": " + e.getMessage());
                }
            }
        } finally {
            stopped.countDown();
        }
    }

    private void acceptLoop() {
        while (running) {
            SocketChannel channel;
            try {
                /* accept(2), blocking: sleep until the kernel has a finished connection in the accept queue,
                 * then take it off. A new file descriptor appears in `ls -l /proc/<pid>/fd`. Watch it:
                 * `strace -f -e trace=accept,accept4 -p <pid>`. */
                channel = listener.accept();
            } catch (ClosedChannelException e) {
                return;   // close() closed the listener
            } catch (IOException e) {
                // e.g. EMFILE (out of file descriptors): say so, and try again a little later
                log.accept("accept failed: " + e.getMessage());
                pause(50);
                continue;
            }
            String remote = remoteOf(channel);
            if (openConnections() >= settings.maxConnections()) {
                log.accept("Refused " + remote + ": already " + openConnections() + " connections (the cap is "
                        + settings.maxConnections() + "; raise it with --max-connections)");
                closeQuietly(channel);
                continue;
            }
            Connection connection = new Connection(channel, remote);
            try {
                if (channel.getLocalAddress() instanceof InetSocketAddress) {
                    // Nagle's algorithm would hold small echoes back for up to 40 ms waiting for an ACK.
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
            } catch (IOException e) {
                log.accept("could not set up the connection from " + remote + ": " + e.getMessage());
                closeQuietly(channel);
                continue;
            }
            if (overflow != null && connections.get() >= ServerModel.hybridThreads()) {
                // Every thread of the hybrid model has a client: this one goes to the selector thread, which
                // registers it with its epoll instance (epoll_ctl ADD) - it costs a socket, not a stack.
                log.accept("Connected by " + remote + " (to the selector: " + connections.get() + " connections "
                        + "have a thread each)");
                overflow.adopt(channel, remote);
                continue;
            }
            connections.incrementAndGet();
            open.add(connection);
            log.accept("Connected by " + remote);
            if (!running) {
                connection.close(null);   // close() may have run between accept and add: do not leak it
                return;
            }
            if (workers == null) {
                connection.serve();   // iterative: the next accept(2) waits until this client has closed
                continue;
            }
            try {
                workers.execute(connection::serve);
            } catch (RejectedExecutionException e) {
                connection.close(null);   // the server is closing
            }
        }
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (Connection connection : open) {
            if (now - connection.lastActivityNs > idleTimeoutNs) {
                long seconds = TimeUnit.NANOSECONDS.toSeconds(idleTimeoutNs);
                connection.close(connection.writing
                        ? "Closed " + connection.remote + ": it took none of its echo for more than " + seconds + " s"
                        : "Closed " + connection.remote + ": idle for more than " + seconds + " s");
            }
        }
    }

    private static final ThreadLocal<ReadBuffers> READ_BUFFERS = ThreadLocal.withInitial(ReadBuffers::new);

    /** One client: its channel and the thread that echoes for it. */
    private final class Connection {
        final SocketChannel channel;
        final String remote;
        final AtomicBoolean closed = new AtomicBoolean();
        volatile long lastActivityNs = System.nanoTime();
        volatile boolean writing;
        volatile String closedBecause;

        Connection(SocketChannel channel, String remote) {
            this.channel = channel;
            this.remote = remote;
        }

        void serve() {
            ReadBuffers buffers = READ_BUFFERS.get();
            ByteBuffer buffer = buffers.small();   // direct: read(2) and write(2) get its address, no copy
            try {
                while (true) {
                    buffer.clear();
                    /* read(2), blocking: this thread sleeps until the kernel has bytes from this client, then
                     * copies what is queued, up to 64 KiB. -1: the client shut down its side (FIN received),
                     * and everything it sent has been echoed. Watch: `strace -f -e trace=read,write -p <pid>`. */
                    int n = channel.read(buffer);
                    lastActivityNs = System.nanoTime();
                    if (n < 0) {
                        close("Closed " + remote + ": the client finished sending and every byte was echoed");
                        return;
                    }
                    buffer.flip();
                    writing = true;
                    /* write(2), blocking: copy the echo into the socket's send buffer. When the client does
                     * not read, that buffer fills and write sleeps; meanwhile we read nothing more from this
                     * client, so its own writes block in turn: back pressure, done by the kernel. */
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                        lastActivityNs = System.nanoTime();
                    }
                    writing = false;
                    if (n == buffer.capacity() && buffer.capacity() < BUFFER_BYTES) {
                        buffer = buffers.large();   // the client sends more than 4 KiB at a time
                    }
                }
            } catch (IOException e) {
                String why = closedBecause;
                close(why != null || closed.get() ? null : "connection from " + remote + " failed: " + e.getMessage());
            }
        }

        void close(String why) {
            if (why != null && closedBecause == null) {
                closedBecause = why;
            }
            if (!closed.compareAndSet(false, true)) {
                return;
            }
            open.remove(this);
            connections.decrementAndGet();
            closeQuietly(channel);
            if (why != null) {
                log.accept(why);
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

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing on the way out: there is nothing better to do with the failure
        }
    }
}

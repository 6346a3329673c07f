package org.ipclab.socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;

/**
 * The TCP echo server as one thread and a {@link Selector}: every socket is non-blocking, and the thread sleeps in
 * epoll_wait(2) until any of them is ready ({@code ./ipc-lab server tcp --model nio}). It is the design that holds
 * the most connections: an idle one costs its socket and its selection key, no thread and no buffer, because the
 * one read buffer belongs to the thread and a connection keeps bytes only while its client is slow to take its echo.
 *
 * <p>The price is system calls: each echo is epoll_wait + read + write, one more than the blocking
 * {@link SocketEchoServer}, and a client that does not read costs two epoll_ctl(2) calls (watch for OP_WRITE, then
 * stop). Back pressure as before: while a connection's echo is unsent, the server reads nothing more from it.
 * Watch it: {@code strace -f -e trace=epoll_wait,epoll_ctl,read,write -p <pid>}.
 */
public final class NioEchoServer implements EchoServer {

    static final int BUFFER_BYTES = SocketEchoServer.BUFFER_BYTES;

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final Thread loop;
    private final String endpoint;
    private final ServerSettings settings;
    private final Consumer<String> log;
    private final long idleTimeoutNs;
    private final long tickMs;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    /** The selector thread's read buffer, shared by every connection (direct: read(2) gets its address). */
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(BUFFER_BYTES);
    private volatile boolean running = true;
    private volatile int connections;

    /** Connections another thread accepted and handed over ({@link #adopt}), waiting to be registered. */
    private final java.util.Queue<Handover> handedOver = new java.util.concurrent.ConcurrentLinkedQueue<>();

    private record Handover(SocketChannel channel, String remote) {
    }

    private NioEchoServer(ServerSocketChannel listener, Selector selector, String endpoint, ServerSettings settings) {
        this.listener = listener;
        this.selector = selector;
        this.endpoint = endpoint;
        this.settings = settings;
        this.log = settings.log();
        this.idleTimeoutNs = settings.idleTimeout().toNanos();
        this.tickMs = idleTimeoutNs > 0 ? Math.max(10, Math.min(1000, TimeUnit.NANOSECONDS.toMillis(idleTimeoutNs) / 4)) : 1000;
        this.loop = new Thread(this::run, "echo-server nio " + endpoint);
        loop.setDaemon(true);
        loop.start();
    }

    /** Listens on a TCP address (port 0: the kernel picks one). */
    public static NioEchoServer openTcp(InetSocketAddress address, ServerSettings settings) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open(SocketEchoServer.familyOf(address));
        Selector selector = null;
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, settings.backlog());   // bind(2) + listen(2), as SocketEchoServer explains
            listener.configureBlocking(false);            // fcntl(O_NONBLOCK): accept(2) returns EAGAIN, never sleeps
            /* epoll_create1(2): the selector is an epoll instance, a kernel object listed in /proc/<pid>/fd as
             * anon_inode:[eventpoll]; register() is epoll_ctl(EPOLL_CTL_ADD) for the listening socket. */
            selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            listener.close();
            if (selector != null) {
                selector.close();
            }
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) listener.getLocalAddress();
        NioEchoServer server = new NioEchoServer(listener, selector, SocketEndpoints.format(bound), settings);
        if (!bound.getAddress().isLoopbackAddress()) {
            settings.log().accept("WARNING: listening on " + server.endpoint
                    + ", which other hosts can reach; use --bind 127.0.0.1 to keep it on this machine");
        }
        return server;
    }

    /**
     * A selector thread with no listening socket of its own, for connections another server accepted and hands over
     * with {@link #adopt}: the hybrid model's {@link SocketEchoServer} gives it those beyond its threads.
     */
    static NioEchoServer forHandedOver(String endpoint, ServerSettings settings) {
        try {
            return new NioEchoServer(null, Selector.open(), endpoint, settings);   // epoll_create1(2)
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("could not open a Selector (epoll_create1)", e);
        }
    }

    /**
     * Takes an accepted connection from another thread: the selector thread registers it at its next wake-up,
     * which this asks for at once (Selector.wakeup writes to the selector's wake-up pipe, ending epoll_wait).
     */
    void adopt(SocketChannel channel, String remote) {
        handedOver.add(new Handover(channel, remote));
        selector.wakeup();
        if (!running) {
            registerHandedOver();   // closing: closes it rather than leave it to a loop that has ended
        }
    }

    public String describeBacklog() {
        return Backlog.describe(settings.backlog());
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    /** Connections open right now. */
    public int openConnections() {
        return connections;
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
        selector.wakeup();   // epoll_wait returns at once
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stopped.countDown();
    }

    private void run() {
        try {
            while (running) {
                /* epoll_wait(2): sleep until a socket is ready or the tick passes (to close idle connections). */
                selector.select(tickMs);
                registerHandedOver();
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptAll();
                    } else if (key.isWritable()) {
                        finishEcho(key);
                    } else if (key.isReadable()) {
                        echo(key);
                    }
                }
                if (idleTimeoutNs > 0) {
                    closeIdle();
                }
            }
        } catch (IOException | RuntimeException e) {
            log.accept("the nio server stopped: " + e);
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            closeQuietly(selector);
            if (listener != null) {
                closeQuietly(listener);
            }
            registerHandedOver();   // the selector is closed now: closes whatever was still handed over
            stopped.countDown();
        }
    }

    private void acceptAll() {
        while (true) {
            SocketChannel channel;
            try {
                /* accept(2), non-blocking: take every finished connection the kernel queued; null is EAGAIN. */
                channel = listener.accept();
            } catch (IOException e) {
                log.accept("accept failed: " + e.getMessage());   // e.g. EMFILE; epoll reports it again next time
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
                channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                channel.register(selector, SelectionKey.OP_READ, new Connection(remote));   // epoll_ctl(ADD, EPOLLIN)
            } catch (IOException e) {
                log.accept("could not set up the connection from " + remote + ": " + e.getMessage());
                closeQuietly(channel);
                continue;
            }
            connections++;
            log.accept("Connected by " + remote);
        }
    }

    /** Registers the connections handed over since the last look (or closes them once the selector is closed). */
    private void registerHandedOver() {
        for (Handover h; (h = handedOver.poll()) != null; ) {
            try {
                h.channel().configureBlocking(false);   // fcntl(O_NONBLOCK) on the accepted socket
                h.channel().register(selector, SelectionKey.OP_READ, new Connection(h.remote()));   // epoll_ctl(ADD)
                connections++;
            } catch (IOException | RuntimeException e) {   // ClosedSelectorException once the server has stopped
                closeQuietly(h.channel());
            }
        }
    }

    /** Readable: read what the kernel has (up to 64 KiB) and write it straight back. */
    private void echo(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        Connection connection = (Connection) key.attachment();
        try {
            readBuffer.clear();
            int n = channel.read(readBuffer);   // read(2), non-blocking
            connection.lastActivityNs = System.nanoTime();
            if (n < 0) {
                close(key, "Closed " + connection.remote + ": the client finished sending and every byte was echoed");
                return;
            }
            readBuffer.flip();
            channel.write(readBuffer);          // write(2), non-blocking: as much as the send buffer takes
            if (readBuffer.hasRemaining()) {
                // The client is not reading fast enough: keep the rest and wait until the socket is writable,
                // reading nothing more from it meanwhile (epoll_ctl(MOD, EPOLLOUT)).
                connection.pending = ByteBuffer.allocate(readBuffer.remaining()).put(readBuffer).flip();
                key.interestOps(SelectionKey.OP_WRITE);
            }
        } catch (IOException e) {
            close(key, "connection from " + connection.remote + " failed: " + e.getMessage());
        }
    }

    /** Writable again: send the rest of the echo, then go back to reading. */
    private void finishEcho(SelectionKey key) {
        SocketChannel channel = (SocketChannel) key.channel();
        Connection connection = (Connection) key.attachment();
        try {
            channel.write(connection.pending);
            connection.lastActivityNs = System.nanoTime();
            if (!connection.pending.hasRemaining()) {
                connection.pending = null;
                key.interestOps(SelectionKey.OP_READ);
            }
        } catch (IOException e) {
            close(key, "connection from " + connection.remote + " failed: " + e.getMessage());
        }
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connection connection && now - connection.lastActivityNs > idleTimeoutNs) {
                long seconds = TimeUnit.NANOSECONDS.toSeconds(idleTimeoutNs);
                close(key, connection.pending != null
                        ? "Closed " + connection.remote + ": it took none of its echo for more than " + seconds + " s"
                        : "Closed " + connection.remote + ": idle for more than " + seconds + " s");
            }
        }
    }

    private void close(SelectionKey key, String why) {
        key.cancel();
        closeQuietly(key.channel());
        connections--;
        log.accept(why);
    }

    /** What a connection keeps: nothing but its name and clock, and an unsent echo while its client is slow. */
    private static final class Connection {
        final String remote;
        long lastActivityNs = System.nanoTime();
        ByteBuffer pending;

        Connection(String remote) {
            this.remote = remote;
        }
    }

    private static String remoteOf(SocketChannel channel) {
        try {
            InetSocketAddress remote = (InetSocketAddress) channel.getRemoteAddress();
            return remote.getAddress() + ":" + remote.getPort();
        } catch (IOException | ClassCastException e) {
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
}

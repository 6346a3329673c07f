package org.ipclab.socket;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.AbstractEchoClient;
import org.ipclab.core.BlockedCall;
import org.ipclab.core.Closer;
import org.ipclab.core.NoPeerException;
import org.ipclab.core.Watchdog;

/**
 * A client for a stream-socket echo server (TCP or Unix domain).
 *
 * <p>Reads and writes are plain blocking calls, one read(2) or write(2) each, as a C client would make
 * them: a non-blocking socket would cost an extra read that returns nothing plus an epoll_wait(2) on every
 * echo. The waits are bounded by a watchdog (one shared daemon thread): a read or write blocked for a whole
 * timeout (counted in its checks that found the same call in progress, {@link BlockedCall}, so no clock is read
 * around each call) makes it close the channel, which wakes the blocked call with an error, and the error
 * says it timed out. Reads and writes may run on two threads at once (the socket is full duplex).
 */
public final class SocketEchoClient extends AbstractEchoClient {

    /** At most this much per write(2), so the watchdog judges each wait on its own, not a whole 100 MiB write. */
    static final int MAX_WRITE_BYTES = 256 * 1024;

    private final SocketChannel channel;
    private final String peerName;
    private final ScheduledFuture<?> watch;
    /** Watchdog checks a read or write may stay blocked: the timeout, in check periods. */
    private final int checksPerTimeout;
    // the write and the read in progress, if any (they may be on two threads); no clock read around each call
    private final BlockedCall sending = new BlockedCall();
    private final BlockedCall receiving = new BlockedCall();
    private volatile String timedOut;

    private SocketEchoClient(SocketChannel channel, String peerName, Duration timeout) throws IOException {
        super(peerName, timeout);
        this.channel = channel;
        this.peerName = peerName;
        channel.configureBlocking(true);
        this.checksPerTimeout = Watchdog.checksFor(timeout);
        this.watch = Watchdog.every(Watchdog.periodFor(timeout), this::checkDeadlines);
    }

    private void checkDeadlines() {
        // both are checked at every check, so each keeps its count of how long its call has lasted
        boolean receiveStuck = receiving.stuckFor(checksPerTimeout);
        boolean sendStuck = sending.stuckFor(checksPerTimeout);
        String why = null;
        if (receiveStuck) {
            why = "no echo for " + timeout.toMillis() + " ms";
        } else if (sendStuck) {
            why = "could not send for " + timeout.toMillis() + " ms (the server stopped reading)";
        }
        if (why != null) {
            timedOut = why;
            try {
                channel.close();   // wakes the blocked read(2) or write(2) with AsynchronousCloseException
            } catch (IOException ignored) {
                // closing is all we can do; the blocked call fails either way
            }
        }
    }

    /** Connects to a TCP echo server, waiting at most {@code timeout}. */
    public static SocketEchoClient connectTcp(String host, int port, Duration timeout) throws IOException {
        String name = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new IOException("unknown host '" + host + "': check the name, or use an address such as 127.0.0.1");
        }
        SocketChannel channel = SocketChannel.open(SocketEchoServer.familyOf(address));
        try {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            connect(channel, address, name, timeout);
            return new SocketEchoClient(channel, name, timeout);
        } catch (IOException | RuntimeException e) {
            Closer.closeQuietly(e, channel);
            throw e;
        }
    }

    /** Connects to a Unix domain socket echo server at {@code path}. */
    public static SocketEchoClient connectUnix(Path path, Duration timeout) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            throw new NoPeerException("no socket file at " + path + " (no server is listening there)");
        }
        if (!UnixSockets.isSocket(path)) {
            throw new IOException(path + " is not a socket (it is a regular file or directory); check --path");
        }
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            connect(channel, UnixDomainSocketAddress.of(path), path.toString(), timeout);
            return new SocketEchoClient(channel, path.toString(), timeout);
        } catch (IOException | RuntimeException e) {
            Closer.closeQuietly(e, channel);
            throw e;
        }
    }

    private static void connect(SocketChannel channel, SocketAddress address, String name, Duration timeout)
            throws IOException {
        channel.configureBlocking(false);
        /* connect(2): for TCP the kernel sends a SYN and the handshake completes in the background; a
         * non-blocking connect returns at once and we wait for it with a deadline. A blocking connect()
         * to a host that never answers would wait for all SYN retries (net.ipv4.tcp_syn_retries, about
         * two minutes). Watch it: `ss -tn state syn-sent`. Man page: connect(2). */
        try {
            if (channel.connect(address)) {
                return;
            }
            try (Selector selector = Selector.open()) {
                channel.register(selector, SelectionKey.OP_CONNECT);
                long deadline = System.nanoTime() + timeout.toNanos();
                while (!channel.finishConnect()) {
                    long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (leftMs <= 0) {
                        throw new IOException("no answer from " + name + " within " + timeout.toMillis()
                                + " ms (the server may be overloaded, or a firewall drops the connection)");
                    }
                    selector.select(leftMs);
                }
            }
        } catch (ConnectException e) {
            throw new NoPeerException("no server at " + name + " (connection refused)", e);
        } catch (UnresolvedAddressException e) {
            throw new IOException("unknown host in " + name, e);
        } catch (IOException e) {
            if (e instanceof NoPeerException || e.getMessage() != null && e.getMessage().startsWith("no answer")) {
                throw e;
            }
            throw new IOException("cannot connect to " + name + ": " + e.getMessage(), e);
        }
    }

    @Override
    protected void doSend(byte[] src, int offset, int length) throws IOException {
        doSend(ByteBuffer.wrap(src, offset, length));
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        doReceive(ByteBuffer.wrap(dst, offset, length));
    }

    /** Direct buffers: the channel passes their address to write(2) and read(2) as they are. */
    @Override
    protected boolean prefersDirectBuffers() {
        return true;
    }

    @Override
    protected void doSend(ByteBuffer src) throws IOException {
        int start = src.position();
        int end = src.limit();
        try {
            while (src.position() < end) {
                src.limit(Math.min(end, src.position() + MAX_WRITE_BYTES));
                /* write(2): copy into the socket's send buffer; blocks while it is full (the server is not
                 * reading fast enough: back pressure). A heap buffer is first copied by the JDK into a
                 * temporary direct buffer (the kernel needs an address the GC will not move); a direct
                 * buffer is passed as it is. Watch: `strace -f -e trace=write -p PID`. */
                sending.enter();
                try {
                    channel.write(src);
                } finally {
                    sending.leave();
                }
            }
        } catch (IOException e) {
            throw failure("send failed after " + (src.position() - start) + " of " + (end - start) + " bytes", e,
                    " (the server closed the connection or died)");
        } finally {
            src.limit(end);
        }
    }

    @Override
    protected void doReceive(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int length = dst.remaining();
        try {
            while (dst.hasRemaining()) {
                /* read(2): sleeps until the kernel has echoed bytes for this socket, then copies what is
                 * there (maybe less than asked: a stream keeps no message boundaries). 0 bytes = EOF.
                 * Into a direct buffer the kernel copies straight to its memory; a heap buffer costs
                 * one more copy, out of the JDK's temporary direct buffer. */
                int n;
                receiving.enter();
                try {
                    n = channel.read(dst);
                } finally {
                    receiving.leave();
                }
                if (n < 0) {
                    throw new IOException(peerName + ": the server closed the connection after "
                            + (dst.position() - start) + " of " + length + " echoed bytes");
                }
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().contains("the server closed the connection")) {
                throw e;
            }
            throw failure("receive failed after " + (dst.position() - start) + " of " + length + " bytes", e,
                    " (the server died or reset the connection)");
        }
    }

    private IOException failure(String what, IOException cause, String likely) {
        String why = timedOut;
        if (why != null) {
            return new IOException(peerName + ": " + why + "; " + what + "; the connection was closed", cause);
        }
        if (isClosed()) {
            return new IOException(peerName + ": " + what + ": the client was closed", cause);
        }
        return new IOException(peerName + ": " + what + ": " + cause.getMessage() + likely, cause);
    }

    @Override
    protected void doFinishSending() throws IOException {
        /* shutdown(SHUT_WR): send FIN. The server's read returns 0 bytes (EOF) and it can finish echoing
         * while we keep reading: a half-closed connection. */
        channel.shutdownOutput();
    }

    @Override
    protected int inlineRoundTripBytes() {
        return 64 * 1024;
    }

    @Override
    protected void doClose() throws IOException {
        watch.cancel(false);
        channel.close();
    }
}

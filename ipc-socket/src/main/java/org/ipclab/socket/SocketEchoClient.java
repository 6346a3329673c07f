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
import java.util.concurrent.TimeUnit;

import org.ipclab.core.AbstractEchoClient;
import org.ipclab.core.Closer;
import org.ipclab.core.NoPeerException;

/**
 * A client for a stream-socket echo server (TCP or Unix domain). The channel is non-blocking and every
 * wait goes through a selector with a deadline, so no call blocks longer than the timeout. Reads and
 * writes have a selector each, so one thread can write while another reads.
 */
public final class SocketEchoClient extends AbstractEchoClient {

    private final SocketChannel channel;
    private final Selector readSelector;
    private final Selector writeSelector;
    private final String peerName;

    private SocketEchoClient(SocketChannel channel, String peerName, Duration timeout) throws IOException {
        super(peerName, timeout);
        this.channel = channel;
        this.peerName = peerName;
        this.readSelector = Selector.open();
        this.writeSelector = Selector.open();
        channel.register(readSelector, SelectionKey.OP_READ);
        channel.register(writeSelector, SelectionKey.OP_WRITE);
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
        ByteBuffer buffer = ByteBuffer.wrap(src, offset, length);
        long deadline = 0;
        while (buffer.hasRemaining()) {
            /* write(2) on a non-blocking socket: copies what fits into the send buffer; 0 means it is full
             * (the server is not reading fast enough) and we wait until it drains. */
            int n = writeChecked(buffer);
            if (n > 0) {
                deadline = 0;
                continue;
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + timeout.toNanos();
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0) {
                throw new IOException(peerName + ": could not send for " + timeout.toMillis()
                        + " ms (the server stopped reading; " + buffer.remaining() + " bytes left)");
            }
            writeSelector.select(leftMs);
            writeSelector.selectedKeys().clear();
        }
    }

    private int writeChecked(ByteBuffer buffer) throws IOException {
        try {
            return channel.write(buffer);
        } catch (IOException e) {
            throw new IOException(peerName + ": send failed: " + e.getMessage()
                    + " (the server closed the connection or died)", e);
        }
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(dst, offset, length);
        long deadline = 0;
        while (buffer.hasRemaining()) {
            int n;
            try {
                n = channel.read(buffer);
            } catch (IOException e) {
                throw new IOException(peerName + ": receive failed after " + buffer.position() + " of "
                        + length + " bytes: " + e.getMessage() + " (the server died or reset the connection)", e);
            }
            if (n < 0) {
                throw new IOException(peerName + ": the server closed the connection after "
                        + (buffer.position() - offset) + " of " + length + " echoed bytes");
            }
            if (n > 0) {
                deadline = 0;
                continue;
            }
            if (deadline == 0) {
                deadline = System.nanoTime() + timeout.toNanos();
            }
            long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMs <= 0) {
                throw new IOException(peerName + ": no echo for " + timeout.toMillis() + " ms ("
                        + (buffer.position() - offset) + " of " + length + " bytes came back)");
            }
            readSelector.select(leftMs);
            readSelector.selectedKeys().clear();
        }
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
        Closer.closeAll(readSelector, writeSelector, channel);
    }
}

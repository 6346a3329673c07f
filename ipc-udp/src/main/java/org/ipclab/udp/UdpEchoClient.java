package org.ipclab.udp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;

import org.ipclab.core.AbstractEchoClient;
import org.ipclab.core.NoPeerException;

/**
 * The UDP echo client: a connected datagram socket; one send is one datagram, and its echo comes back as one.
 *
 * <p>UDP does not retransmit, so this client does: it waits a third of its timeout for an echo, sends the same
 * datagram again, and after {@link #TRIES} tries gives up ("no echo after 3 tries"). It resends only the last
 * datagram, so it is meant for one message in flight at a time (send, then read its echo): a stream of datagrams
 * written without waiting is not held back by anything and is dropped by the receiver's kernel once its buffer is
 * full. The echo may be read in any pieces; what is left of a datagram waits here for the next read.
 */
final class UdpEchoClient extends AbstractEchoClient {

    /** Sends of one message before giving up: the first and two resends. */
    static final int TRIES = 3;

    private final DatagramChannel channel;
    private final Selector selector;
    private final SelectionKey key;
    private final InetSocketAddress server;
    private final long tryTimeoutMs;
    /** The last datagram sent, kept to send again. */
    private final ByteBuffer lastSent = ByteBuffer.allocateDirect(UdpEndpoints.MAX_PAYLOAD_BYTES);
    private boolean sentSomething;
    /** The echo being read: position..limit is what the caller has not taken yet. */
    private final ByteBuffer echo = ByteBuffer.allocateDirect(64 * 1024).limit(0);
    /** A message that needed resends: its extra echoes may still arrive and must not pass for the next one's. */
    private ByteBuffer resentMessage;
    private int extraEchoes;

    private UdpEchoClient(DatagramChannel channel, Selector selector, SelectionKey key, InetSocketAddress server,
                          Duration timeout) {
        super("udp " + UdpEndpoints.format(server), timeout);
        this.channel = channel;
        this.selector = selector;
        this.key = key;
        this.server = server;
        this.tryTimeoutMs = Math.max(1, timeout.toMillis() / TRIES);
    }

    static UdpEchoClient connect(InetSocketAddress server, Duration timeout) throws IOException {
        DatagramChannel channel = DatagramChannel.open(server.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        Selector selector = null;
        try {
            /* connect(2) on a datagram socket sends nothing: the kernel only records the peer's address, so that
             * send(2) needs no address and recv(2) accepts datagrams from that address only (others are dropped).
             * It also lets the kernel report an ICMP "port unreachable" to us, as ECONNREFUSED on the next call.
             * Watch: `ss -uanp` lists the socket ESTAB with the peer's address; no packet crosses lo. */
            channel.connect(server);
            channel.configureBlocking(false);
            selector = Selector.open();
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
            return new UdpEchoClient(channel, selector, key, server, timeout);
        } catch (IOException | RuntimeException e) {
            if (selector != null) {
                selector.close();
            }
            channel.close();
            throw e;
        }
    }

    @Override
    protected boolean prefersDirectBuffers() {
        return true;
    }

    /** One message is one datagram, written and read on the caller's thread: there is no stream to keep flowing. */
    @Override
    protected int inlineRoundTripBytes() {
        return UdpEndpoints.MAX_PAYLOAD_BYTES;
    }

    @Override
    protected void doSend(byte[] src, int offset, int length) throws IOException {
        checkSize(length);
        lastSent.clear();
        lastSent.put(src, offset, length).flip();
        sendLast();
    }

    @Override
    protected void doSend(ByteBuffer src) throws IOException {
        checkSize(src.remaining());
        lastSent.clear();
        lastSent.put(src).flip();
        sendLast();
    }

    private static void checkSize(long length) throws IOException {
        if (length > UdpEndpoints.MAX_PAYLOAD_BYTES) {
            throw new MessageTooLargeException(UdpEndpoints.tooLarge(length));
        }
    }

    private void sendLast() throws IOException {
        sentSomething = true;
        lastSent.rewind();
        /* send(2) of one datagram to the connected peer: the kernel copies it into a socket buffer and it is on its
         * way - or dropped, silently, if the receiver's buffer is full. It returns before anyone has read it.
         * Watch: `strace -f -e trace=network` (sendto(fd, ..., NULL, 0) on a connected socket). */
        boolean empty = !lastSent.hasRemaining();   // a datagram of no bytes is a datagram too: write returns 0 for it
        int sent = write();
        if (sent == 0 && !empty) {
            // a full send buffer (EAGAIN on a non-blocking socket): wait until it has room, once
            key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            try {
                select();
                sent = write();
            } finally {
                key.interestOps(SelectionKey.OP_READ);
            }
            if (sent == 0) {
                throw new IOException(name() + ": the socket's send buffer stayed full for " + tryTimeoutMs + " ms");
            }
        }
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        int at = offset;
        int left = length;
        while (left > 0) {
            if (!echo.hasRemaining()) {
                nextEcho();
            }
            int n = Math.min(left, echo.remaining());
            echo.get(dst, at, n);
            at += n;
            left -= n;
        }
    }

    @Override
    protected void doReceive(ByteBuffer dst) throws IOException {
        while (dst.hasRemaining()) {
            if (!echo.hasRemaining()) {
                nextEcho();
            }
            int n = Math.min(dst.remaining(), echo.remaining());
            dst.put(echo.slice(echo.position(), n));
            echo.position(echo.position() + n);
        }
    }

    /** Waits for the next echo datagram, resending the last message while none comes. */
    private void nextEcho() throws IOException {
        int tries = 1;
        while (true) {
            echo.clear();
            if (readDatagram()) {
                echo.flip();
                if (isExtraEcho()) {
                    continue;
                }
                if (tries > 1) {
                    rememberResent(tries - 1);
                }
                return;
            }
            echo.limit(0);
            if (tries == TRIES || !sentSomething) {
                throw new NoEchoException(name() + ": no echo after " + tries + (tries == 1 ? " try" : " tries") + " ("
                        + tryTimeoutMs + " ms each; the datagram or its echo was lost, or nobody answers at "
                        + UdpEndpoints.format(server) + ")");
            }
            tries++;
            sendLast();   // the same bytes again: UDP itself never retransmits
        }
    }

    /** Reads one datagram into {@link #echo}; false when none came within one try's timeout. */
    private boolean readDatagram() throws IOException {
        /* recvfrom(2) on a non-blocking socket: one whole datagram if one is queued (an empty one too: that is why
         * this is receive, which names the sender, and not read, whose 0 could be either), else EAGAIN at once.
         * Then epoll_wait(2) sleeps until one arrives or a try's timeout passes.
         * Watch: `strace -f -e trace=network,epoll_wait`. */
        if (receiveOne()) {
            return true;
        }
        long deadline = System.nanoTime() + tryTimeoutMs * 1_000_000L;
        while (true) {
            long leftMs = (deadline - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                return false;
            }
            selector.select(leftMs);
            selector.selectedKeys().clear();
            if (Thread.interrupted()) {
                throw new InterruptedIOException(name() + ": interrupted while waiting for an echo");
            }
            if (receiveOne()) {
                return true;
            }
        }
    }

    private boolean receiveOne() throws IOException {
        try {
            return channel.receive(echo) != null;
        } catch (PortUnreachableException e) {
            throw noServer(e);
        }
    }

    private boolean isExtraEcho() {
        if (extraEchoes == 0 || resentMessage == null) {
            return false;
        }
        if (echo.equals(resentMessage) && !echo.equals(lastSent.duplicate().rewind())) {
            extraEchoes--;
            return true;
        }
        return false;
    }

    private void rememberResent(int resends) {
        resentMessage = ByteBuffer.allocate(lastSent.limit());
        resentMessage.put(lastSent.duplicate().rewind()).flip();
        extraEchoes = resends;
    }

    /** A write on the connected socket; ECONNREFUSED (an ICMP port unreachable came back) names the missing server. */
    private int write() throws IOException {
        try {
            return channel.write(lastSent);
        } catch (PortUnreachableException e) {
            throw noServer(e);
        }
    }

    private NoPeerException noServer(PortUnreachableException e) {
        return new NoPeerException("no server at " + UdpEndpoints.format(server) + " (port unreachable: the kernel"
                + " answered a datagram with ICMP, so nothing is bound to that UDP port)", e);
    }

    private void select() throws IOException {
        selector.select(tryTimeoutMs);
        selector.selectedKeys().clear();
    }

    /** UDP has no end of stream: nothing to tell the server, which keeps no state for us. */
    @Override
    protected void doFinishSending() {
    }

    @Override
    protected void doClose() throws IOException {
        try {
            selector.close();
        } finally {
            channel.close();
        }
    }

    /** No echo came back within every try. */
    static final class NoEchoException extends IOException {
        private static final long serialVersionUID = 1L;

        NoEchoException(String message) {
            super(message);
        }
    }

    /** A message larger than one datagram: refused before anything is sent. */
    static final class MessageTooLargeException extends IOException {
        private static final long serialVersionUID = 1L;

        MessageTooLargeException(String message) {
            super(message);
        }
    }
}

package org.ipclab.udp;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.ipclab.core.AbstractEchoClient;
import org.ipclab.core.BlockedCall;
import org.ipclab.core.NoPeerException;
import org.ipclab.core.Watchdog;

/**
 * The UDP echo client: a connected datagram socket; one send is one datagram, and its echo comes back as one.
 *
 * <p>UDP does not retransmit, so this client does: it waits a third of its timeout for an echo, sends the same
 * datagram again, and after {@link #TRIES} tries gives up ("no echo after 3 tries"). It resends only the last
 * datagram, so it is meant for one message in flight at a time (send, then read its echo): a stream of datagrams
 * written without waiting is not held back by anything and is dropped by the receiver's kernel once its buffer is
 * full. The echo may be read in any pieces; what is left of a datagram waits here for the next read.
 *
 * <p>Bounded waits: the socket blocks, as the C program's does, so a round trip is one send(2) and one recv(2)
 * (a non-blocking socket would add a recv that finds nothing and an epoll_wait on every round trip on one CPU).
 * recv(2) has no timeout of its own here, so the {@link Watchdog} ends a try that has waited its share of the
 * timeout by closing the socket; this client then opens and connects a new one (a new local port) and resends
 * there. A late echo of the old try goes to the closed socket and is dropped by the kernel.
 */
final class UdpEchoClient extends AbstractEchoClient {

    /** Sends of one message before giving up: the first and two resends. */
    static final int TRIES = 3;
    /** Watchdog checks per try: a try ends between its timeout and a quarter more. */
    private static final int CHECKS_PER_TRY = 4;

    private volatile DatagramChannel channel;
    private final InetSocketAddress server;
    private final long tryTimeoutMs;
    private final BlockedCall blocked = new BlockedCall();
    private final ScheduledFuture<?> watch;
    /** The last datagram sent, kept to send again. */
    private final ByteBuffer lastSent = ByteBuffer.allocateDirect(UdpEndpoints.MAX_PAYLOAD_BYTES);
    private boolean sentSomething;
    /** The echo being read: position..limit is what the caller has not taken yet. */
    private final ByteBuffer echo = ByteBuffer.allocateDirect(64 * 1024).limit(0);
    /** A message that needed resends: its extra echoes may still arrive and must not pass for the next one's. */
    private ByteBuffer resentMessage;
    private int extraEchoes;

    private UdpEchoClient(DatagramChannel channel, InetSocketAddress server, Duration timeout) {
        super("udp " + UdpEndpoints.format(server), timeout);
        this.channel = channel;
        this.server = server;
        this.tryTimeoutMs = Math.max(1, timeout.toMillis() / TRIES);
        this.watch = Watchdog.every(Math.max(1, tryTimeoutMs / CHECKS_PER_TRY), this::endAStuckCall);
    }

    static UdpEchoClient connect(InetSocketAddress server, Duration timeout) throws IOException {
        return new UdpEchoClient(open(server), server, timeout);
    }

    private static DatagramChannel open(InetSocketAddress server) throws IOException {
        DatagramChannel channel = DatagramChannel.open(server.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            /* connect(2) on a datagram socket sends nothing: the kernel only records the peer's address, so that
             * send(2) needs no address and recv(2) accepts datagrams from that address only (others are dropped).
             * It also lets the kernel report an ICMP "port unreachable" to us, as ECONNREFUSED on the next call.
             * Watch: `ss -uanp` lists the socket ESTAB with the peer's address; no packet crosses lo. */
            channel.connect(server);
            return channel;
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Watchdog: a send or receive inside its call for a whole try is ended by closing its socket (a closed
     *  channel wakes the thread blocked in it: the JDK signals that thread, so its recv(2) returns EINTR). */
    private void endAStuckCall() {
        if (blocked.stuckFor(CHECKS_PER_TRY)) {
            try {
                channel.close();   // the blocked call returns at once with AsynchronousCloseException
            } catch (IOException ignored) {
                // closing a datagram socket does not fail in a way that leaves it open
            }
        }
    }

    /** After the watchdog closed the socket: a new one, connected to the same server. */
    private DatagramChannel reopen(IOException closed) throws IOException {
        if (isClosed()) {
            throw closed;   // close() closed it: nothing to reopen
        }
        if (closed instanceof ClosedByInterruptException || Thread.currentThread().isInterrupted()) {
            // an interrupt closed it (NIO does that): the next call, once the interrupt is handled, opens a new one
            throw new InterruptedIOException(name() + ": interrupted while waiting for an echo");
        }
        DatagramChannel fresh = open(server);
        channel = fresh;
        return fresh;
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
        DatagramChannel ch = channel;
        for (int attempt = 1; ; attempt++) {
            lastSent.rewind();
            blocked.enter();
            try {
                /* send(2) of one datagram to the connected peer: the kernel copies it into a socket buffer and it is
                 * on its way - or dropped, silently, if the receiver's buffer is full. It returns before anyone has
                 * read it; it blocks only while the socket's send buffer is full (not on loopback, where the
                 * datagram is handed straight to the receiving socket). A datagram of no bytes is sent too.
                 * Watch: `strace -f -e trace=network` (sendto(fd, ..., NULL, 0) on a connected socket). */
                ch.write(lastSent);
                return;
            } catch (ClosedChannelException e) {
                if (attempt == 2) {
                    throw new IOException(name() + ": the socket's send buffer stayed full for " + tryTimeoutMs + " ms");
                }
                ch = reopen(e);
            } catch (PortUnreachableException e) {
                throw noServer(e);
            } finally {
                blocked.leave();
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

    /** Reads one datagram into {@link #echo}; false when none came within one try (the watchdog closed the socket). */
    private boolean readDatagram() throws IOException {
        DatagramChannel ch = channel;
        blocked.enter();
        try {
            /* recv(2) on a connected, blocking socket: sleeps until a datagram from the server is queued, then
             * returns exactly one, whole (an empty one too: 0 bytes is a datagram here, never "nothing yet").
             * Watch: `strace -f -e trace=network` (recvfrom(fd, ..., NULL, NULL) once per echo). */
            ch.read(echo);
            return true;
        } catch (ClosedChannelException e) {
            reopen(e);
            return false;
        } catch (PortUnreachableException e) {
            throw noServer(e);
        } finally {
            blocked.leave();
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

    private NoPeerException noServer(PortUnreachableException e) {
        return new NoPeerException("no server at " + UdpEndpoints.format(server) + " (port unreachable: the kernel"
                + " answered a datagram with ICMP, so nothing is bound to that UDP port)", e);
    }

    /** UDP has no end of stream: nothing to tell the server, which keeps no state for us. */
    @Override
    protected void doFinishSending() {
    }

    @Override
    protected void doClose() throws IOException {
        watch.cancel(false);
        channel.close();
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

package org.ipclab.socket;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Bounded socket I/O for the experiments: every channel is non-blocking and every wait goes through poll(2)
 * (a {@link Selector}) with a deadline, so no experiment can hang on a socket.
 */
final class SocketIo {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    private SocketIo() {
    }

    /** Waits until {@code channel} is ready for {@code ops}, or the deadline passes; false on timeout. */
    static boolean await(SelectableChannel channel, int ops, long deadlineNs) throws IOException {
        long leftMs = Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000);
        if (deadlineNs - System.nanoTime() <= 0) {
            return false;
        }
        try (Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.register(selector, ops);
            return selector.select(leftMs) > 0;
        }
    }

    static long deadline(Duration timeout) {
        return System.nanoTime() + timeout.toNanos();
    }

    /**
     * connect(2) without blocking: the kernel starts the handshake (TCP: sends SYN) and we wait for the outcome.
     * A refused connection surfaces here as ConnectException ("Connection refused": the peer answered with RST).
     */
    static void connect(SocketChannel channel, SocketAddress to, Duration timeout) throws IOException {
        channel.configureBlocking(false);
        if (channel.connect(to)) {
            return;
        }
        long deadline = deadline(timeout);
        while (!channel.finishConnect()) {
            if (!await(channel, SelectionKey.OP_CONNECT, deadline)) {
                throw new IOException("connect to " + to + " did not complete within " + timeout.toMillis() + " ms");
            }
        }
    }

    /** accept(2): takes the next finished connection off the listener's accept queue. */
    static SocketChannel accept(ServerSocketChannel listener, Duration timeout) throws IOException {
        listener.configureBlocking(false);
        long deadline = deadline(timeout);
        while (true) {
            SocketChannel accepted = listener.accept();
            if (accepted != null) {
                accepted.configureBlocking(false);
                return accepted;
            }
            if (!await(listener, SelectionKey.OP_ACCEPT, deadline)) {
                throw new IOException("no connection arrived at " + listener.getLocalAddress() + " within "
                        + timeout.toMillis() + " ms");
            }
        }
    }

    static void writeAll(SocketChannel channel, ByteBuffer source, Duration timeout) throws IOException {
        channel.configureBlocking(false);
        long deadline = deadline(timeout);
        while (source.hasRemaining()) {
            if (channel.write(source) == 0 && !await(channel, SelectionKey.OP_WRITE, deadline)) {
                throw new IOException("could not write " + source.remaining() + " more bytes within "
                        + timeout.toMillis() + " ms: the peer is not reading");
            }
        }
    }

    /**
     * Reads until {@code want} bytes arrived, end of stream, or the time is up; every read(2) may fill the whole
     * remaining buffer. Returns the size of each read.
     */
    static List<Integer> readUntil(SocketChannel channel, ByteBuffer into, int want, Duration timeout) throws IOException {
        channel.configureBlocking(false);
        long deadline = deadline(timeout);
        List<Integer> reads = new ArrayList<>();
        int total = 0;
        while (total < want) {
            int n = channel.read(into);
            if (n < 0) {
                break;
            }
            if (n == 0) {
                if (!await(channel, SelectionKey.OP_READ, deadline)) {
                    break;
                }
                continue;
            }
            reads.add(n);
            total += n;
        }
        return reads;
    }

    static byte[] readExactly(SocketChannel channel, int bytes, Duration timeout) throws IOException {
        ByteBuffer into = ByteBuffer.allocate(bytes);
        readUntil(channel, into, bytes, timeout);
        if (into.hasRemaining()) {
            throw new IOException("expected " + bytes + " bytes from " + channel.getRemoteAddress() + " but got "
                    + into.position() + " within " + timeout.toMillis() + " ms");
        }
        return into.array();
    }
}

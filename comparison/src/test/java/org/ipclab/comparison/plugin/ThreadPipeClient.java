package org.ipclab.comparison.plugin;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;

import org.ipclab.core.AbstractEchoClient;

/**
 * The client's end of two {@link Pipe}s, with an echo thread at the other end. {@code Pipe.open()} is pipe2(2) on
 * Linux: the kernel makes a 64 KiB buffer with a read end and a write end, two descriptors of this process
 * ({@code ls -l /proc/<pid>/fd} shows them as {@code pipe:[inode]}). The client's ends are non-blocking and every
 * wait goes through a {@link Selector} (epoll) with the timeout, so no call blocks for longer than it.
 */
final class ThreadPipeClient extends AbstractEchoClient {

    private final Pipe requests;
    private final Pipe replies;
    private final Selector writable;
    private final Selector readable;
    private final Thread echo;

    private ThreadPipeClient(Pipe requests, Pipe replies, Duration timeout) throws IOException {
        super("thread-pipe", timeout);
        this.requests = requests;
        this.replies = replies;
        requests.sink().configureBlocking(false);
        replies.source().configureBlocking(false);
        this.writable = Selector.open();
        this.readable = Selector.open();
        requests.sink().register(writable, SelectionKey.OP_WRITE);
        replies.source().register(readable, SelectionKey.OP_READ);
        this.echo = new Thread(this::echo, "thread-pipe-echo");
        echo.setDaemon(true);
        echo.start();
    }

    static ThreadPipeClient open(Duration timeout) throws IOException {
        return new ThreadPipeClient(Pipe.open(), Pipe.open(), timeout);
    }

    /** The echo thread: blocking reads and writes on its own ends, until end of stream or a closed peer. */
    private void echo() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024);
        try (Pipe.SourceChannel in = requests.source(); Pipe.SinkChannel out = replies.sink()) {
            while (in.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    out.write(buffer);
                }
                buffer.clear();
            }
        } catch (IOException ignored) {
            // the client closed its ends: nobody is left to echo to
        }
    }

    @Override
    protected void doSend(byte[] src, int offset, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(src, offset, length);
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (bytes.hasRemaining()) {
            if (requests.sink().write(bytes) == 0) {
                await(writable, deadlineNs, "writing", length - bytes.remaining(), length);
            }
        }
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(dst, offset, length);
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (bytes.hasRemaining()) {
            int n = replies.source().read(bytes);
            if (n < 0) {
                throw new IOException("thread-pipe: the echo thread closed its end after " + (length - bytes.remaining())
                        + " of " + length + " bytes");
            }
            if (n == 0) {
                await(readable, deadlineNs, "waiting for the echo", length - bytes.remaining(), length);
            }
        }
    }

    private void await(Selector selector, long deadlineNs, String doing, int done, int length) throws IOException {
        long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000;
        if (leftMs <= 0 || selector.select(leftMs) == 0 && System.nanoTime() >= deadlineNs) {
            throw new IOException("thread-pipe: timed out after " + timeout + " " + doing + " (" + done + " of "
                    + length + " bytes)");
        }
        selector.selectedKeys().clear();
    }

    @Override
    protected void doFinishSending() throws IOException {
        requests.sink().close();
    }

    @Override
    protected void doClose() throws IOException {
        try (SelectableChannel a = requests.sink(); SelectableChannel b = replies.source();
             Selector c = writable; Selector d = readable) {
            echo.interrupt();
        }
    }
}

package org.ipclab.core;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The bookkeeping every client shares: the closed state, idempotent close, and a round trip that writes
 * on a second thread when the message may not fit in the kernel's buffers.
 *
 * <p>Why the second thread: the echo peer writes back while we are still writing. If we wrote a 10 MiB
 * message before reading anything, the peer's writes would fill our receive buffer, the peer would block
 * in write(2) and stop reading, our send buffer would fill, and both processes would sleep forever.
 * Small messages fit in the buffers, so they are written and then read on one thread, which is faster.
 */
public abstract class AbstractEchoClient implements EchoClient {

    /** Messages up to this size are written and read back on the caller's thread. */
    public static final int DEFAULT_INLINE_ROUND_TRIP_BYTES = 16 * 1024;

    /** The scratch array the buffer defaults copy through, at most. */
    private static final int SCRATCH_BYTES = 64 * 1024;

    protected final Duration timeout;
    private final String name;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile ExecutorService writer;

    protected AbstractEchoClient(String name, Duration timeout) {
        this.name = name;
        this.timeout = timeout;
    }

    protected abstract void doSend(byte[] src, int offset, int length) throws IOException;

    protected abstract void doReceive(byte[] dst, int offset, int length) throws IOException;

    protected abstract void doFinishSending() throws IOException;

    protected abstract void doClose() throws IOException;

    /**
     * Sends a buffer's remaining bytes. This default hands a heap buffer's array to
     * {@link #doSend(byte[], int, int)} and copies any other buffer through a scratch array (one more
     * copy); transports whose system calls take a native address override it.
     */
    protected void doSend(ByteBuffer src) throws IOException {
        if (src.hasArray()) {
            doSend(src.array(), src.arrayOffset() + src.position(), src.remaining());
            src.position(src.limit());
            return;
        }
        byte[] scratch = new byte[Math.min(src.remaining(), SCRATCH_BYTES)];
        while (src.hasRemaining()) {
            int n = Math.min(scratch.length, src.remaining());
            src.get(scratch, 0, n);
            doSend(scratch, 0, n);
        }
    }

    /** Fills a buffer to its limit; the same default as {@link #doSend(ByteBuffer)}. */
    protected void doReceive(ByteBuffer dst) throws IOException {
        if (dst.hasArray()) {
            doReceive(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
            dst.position(dst.limit());
            return;
        }
        byte[] scratch = new byte[Math.min(dst.remaining(), SCRATCH_BYTES)];
        while (dst.hasRemaining()) {
            int n = Math.min(scratch.length, dst.remaining());
            doReceive(scratch, 0, n);
            dst.put(scratch, 0, n);
        }
    }

    /** Whether {@link #allocateBuffer} gives direct memory: true where the transport's calls take an address. */
    protected boolean prefersDirectBuffers() {
        return false;
    }

    /** The largest message this transport can write completely before reading any of its echo. */
    protected int inlineRoundTripBytes() {
        return DEFAULT_INLINE_ROUND_TRIP_BYTES;
    }

    @Override
    public final void send(byte[] src, int offset, int length) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(offset, length, src.length);
        doSend(src, offset, length);
    }

    @Override
    public final void receive(byte[] dst, int offset, int length) throws IOException {
        ensureOpen();
        java.util.Objects.checkFromIndexSize(offset, length, dst.length);
        doReceive(dst, offset, length);
    }

    @Override
    public final void send(ByteBuffer src) throws IOException {
        ensureOpen();
        doSend(src);
    }

    @Override
    public final void receive(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        doReceive(dst);
    }

    @Override
    public final ByteBuffer allocateBuffer(int capacity) {
        return prefersDirectBuffers() ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity);
    }

    @Override
    public final void roundTrip(byte[] src, byte[] dst, int length) throws IOException {
        ensureOpen();
        if (length <= inlineRoundTripBytes()) {
            doSend(src, 0, length);   // no lambdas on this path: a small round trip allocates nothing
            doReceive(dst, 0, length);
            return;
        }
        onTwoThreads(() -> doSend(src, 0, length), () -> doReceive(dst, 0, length));
    }

    @Override
    public final void roundTrip(ByteBuffer src, ByteBuffer dst) throws IOException {
        ensureOpen();
        int length = src.remaining();
        if (dst.isReadOnly()) {
            throw new ReadOnlyBufferException();
        }
        if (dst.remaining() < length) {
            throw new IllegalArgumentException("dst has room for " + dst.remaining() + " bytes, the echo of "
                    + length + " needs " + length);
        }
        int dstLimit = dst.limit();
        dst.limit(dst.position() + length);
        try {
            if (length <= inlineRoundTripBytes()) {
                doSend(src);
                doReceive(dst);
            } else {
                onTwoThreads(() -> doSend(src), () -> doReceive(dst));
            }
        } finally {
            dst.limit(dstLimit);
        }
    }

    /** One blocking transfer, for the round trip below. */
    @FunctionalInterface
    private interface Transfer {
        void run() throws IOException;
    }

    /** Sends on the writer thread while this one receives: for messages the kernel's buffers cannot hold. */
    private void onTwoThreads(Transfer send, Transfer receive) throws IOException {
        Future<?> written = writer().submit(() -> {
            send.run();
            return null;
        });
        try {
            receive.run();
            written.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(name + ": interrupted during a round trip");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(name + ": sending failed: " + cause, cause);
        } catch (TimeoutException e) {
            throw new IOException(name + ": the echo came back but sending did not finish within " + timeout);
        } catch (IOException e) {
            written.cancel(true);
            throw e;
        }
    }

    @Override
    public final void finishSending() throws IOException {
        ensureOpen();
        doFinishSending();
    }

    @Override
    public final void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        ExecutorService w = writer;
        try {
            doClose();
        } finally {
            if (w != null) {
                w.shutdownNow();
            }
        }
    }

    public final boolean isClosed() {
        return closed.get();
    }

    protected final void ensureOpen() throws IOException {
        if (closed.get()) {
            throw new IOException(name + ": client is closed; connect a new one");
        }
    }

    protected final String name() {
        return name;
    }

    private ExecutorService writer() {
        ExecutorService w = writer;
        if (w == null) {
            synchronized (this) {
                w = writer;
                if (w == null) {
                    w = Executors.newSingleThreadExecutor(r -> {
                        Thread t = new Thread(r, name + "-writer");
                        t.setDaemon(true);
                        return t;
                    });
                    writer = w;
                }
            }
        }
        return w;
    }
}

package org.ipclab.core;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One client connection to an echo peer.
 *
 * <p>{@link #send} and {@link #receive} may be called from two threads at once (the connection is full
 * duplex, or made of two one-way channels), which is how a large message is echoed without deadlock:
 * the writer must not wait for the whole message to be written before the reader starts draining the
 * echo, or both sides block once the kernel's buffers are full.
 *
 * <p>Every blocking call is bounded by the client's timeout and fails with an {@link IOException} that says
 * what happened. After {@link #close()} every call fails with an {@code IOException} ("client is closed").
 */
public interface EchoClient extends AutoCloseable {

    /** Sends {@code length} bytes; blocks while the transport applies back pressure, up to the timeout. */
    void send(byte[] src, int offset, int length) throws IOException;

    /** Reads exactly {@code length} echoed bytes, or fails (peer closed, timed out, peer died). */
    void receive(byte[] dst, int offset, int length) throws IOException;

    /**
     * Sends the bytes between {@code src}'s position and limit; the position moves to the limit. If it
     * fails, how far the position moved is unspecified (the failure message says how many bytes went).
     * A buffer from {@link #allocateBuffer} reaches the kernel without an extra copy.
     */
    void send(ByteBuffer src) throws IOException;

    /**
     * Fills {@code dst} from its position to its limit with echoed bytes, or fails as
     * {@link #receive(byte[], int, int)} does; the position moves to the limit.
     */
    void receive(ByteBuffer dst) throws IOException;

    /**
     * A buffer of {@code capacity} bytes in the form this transport hands to the kernel without copying:
     * direct (off-heap) memory for the socket channels, whose read(2)/write(2) take a native address, a
     * heap array for transports that take a byte[]. Any buffer works with {@link #send(ByteBuffer)}; the
     * other kind costs one more copy per call.
     */
    ByteBuffer allocateBuffer(int capacity);

    /**
     * Sends {@code length} bytes of {@code src} and reads as many back into {@code dst}; for messages larger
     * than the transport's buffers the write runs on a second thread while this one reads.
     */
    void roundTrip(byte[] src, byte[] dst, int length) throws IOException;

    /**
     * As {@link #roundTrip(byte[], byte[], int)} with buffers: sends {@code src}'s remaining bytes and reads
     * as many back into {@code dst} from its position; both positions move past the bytes moved. With
     * buffers from {@link #allocateBuffer} neither side is copied on the way to the kernel.
     */
    void roundTrip(ByteBuffer src, ByteBuffer dst) throws IOException;

    /** Tells the peer that nothing more will be sent (shutdown(SHUT_WR), closing a pipe's write end). */
    void finishSending() throws IOException;

    /** Idempotent: a second call does nothing. */
    @Override
    void close() throws IOException;
}

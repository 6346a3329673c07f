package org.ipclab.pipe;

import java.nio.ByteBuffer;

import jnr.ffi.Pointer;

/**
 * Where the memory of a direct buffer starts, so that read(2) and write(2) take the caller's own bytes, as a C
 * program passes its buffer, with no copy into a staging buffer first. Asking jnr costs an object per call, so the
 * last few buffers' addresses are remembered (a caller uses the same buffers over and over). One instance per
 * thread: the sending side and the receiving side each have their own.
 */
final class DirectAddresses {

    private static final int REMEMBERED = 4;

    private final ByteBuffer[] buffers = new ByteBuffer[REMEMBERED];
    private final long[] addresses = new long[REMEMBERED];
    private int next;

    /** The address of byte {@code position()} of a direct buffer. */
    long at(ByteBuffer buffer) {
        return base(buffer) + buffer.position();
    }

    private long base(ByteBuffer buffer) {
        for (int i = 0; i < REMEMBERED; i++) {
            if (buffers[i] == buffer) {
                return addresses[i];
            }
        }
        long address = Pointer.wrap(Posix.runtime(), buffer.duplicate().clear()).address();   // its byte 0, whatever its position
        buffers[next] = buffer;
        addresses[next] = address;
        next = (next + 1) % REMEMBERED;
        return address;
    }
}

package org.ipclab.socket;

import java.nio.ByteBuffer;

/**
 * A connection thread's read buffers, kept across the connections the thread serves (threads are
 * reused): a small one to start with, and a {@value SocketEchoServer#BUFFER_BYTES}-byte one from the first read that
 * fills the small one. An idle client that only ever sent short messages costs its thread 4 KiB.
 */
final class ReadBuffers {
    private ByteBuffer small;
    private ByteBuffer large;

    ByteBuffer small() {
        if (small == null) {
            small = ByteBuffer.allocateDirect(SocketEchoServer.SMALL_BUFFER_BYTES);
        }
        return small;
    }

    ByteBuffer large() {
        if (large == null) {
            large = ByteBuffer.allocateDirect(SocketEchoServer.BUFFER_BYTES);
        }
        return large;
    }
}

package org.ipclab.sysv;

import jnr.ffi.Pointer;

/**
 * One client of a {@link SysvMqEchoServer}: its reply type (the message type its echoes carry), and the echo bytes
 * that did not fit in the shared queue yet. A queue has no connections, so this is all the server knows of a client.
 */
final class SysvMqSession {
    final long replyType;
    final int clientPid;
    final byte[] backlog;
    int start;
    int end;
    boolean endPending;
    long lastActivityMs;
    long lastProgressMs;
    long echoedBytes;

    /** @param backlogBytes how much echo may wait in the server's memory for this client */
    SysvMqSession(long replyType, long now, int backlogBytes) {
        this.replyType = replyType;
        this.clientPid = SysvMqProtocol.pidOf(replyType);
        this.backlog = new byte[backlogBytes];
        this.lastActivityMs = now;
        this.lastProgressMs = now;
    }

    /** Nothing waits to be sent to this client. */
    boolean idle() {
        return start == end && !endPending;
    }

    /** Keeps {@code length} bytes of echo for later; false when the backlog has no room for them. */
    boolean append(Pointer from, long offset, int length) {
        if (start == end) {
            lastProgressMs = System.currentTimeMillis();   // the wait for room starts now
        }
        if (backlog.length - end < length) {
            System.arraycopy(backlog, start, backlog, 0, end - start);
            end -= start;
            start = 0;
            if (backlog.length - end < length) {
                return false;
            }
        }
        from.get(offset, backlog, end, length);
        end += length;
        return true;
    }
}

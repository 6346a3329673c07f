package org.ipclab.sysv;

import static org.ipclab.sysv.SysvNative.IPC_NOWAIT;
import static org.ipclab.sysv.SysvNative.MTYPE_BYTES;

import jnr.ffi.Pointer;

/**
 * The reply side of a {@link SysvMqEchoServer}. Requests and replies share one queue of msg_qbytes bytes: if replies
 * filled it, no client could send, and the server would wait for requests that cannot come. So an echo goes into the
 * queue only while replies keep it at most half full; the rest waits in the client's {@link SysvMqSession} backlog.
 */
final class SysvMqReplies {

    private final int msqid;
    private final long queueBytes;
    private final int maxChunk;
    private final Pointer outbound;   // mtype | payload, for echoes sent from a backlog
    private final Pointer ds = SysvNative.allocate(SysvNative.MSQID_DS_BYTES);
    private long bytesSinceStat;

    SysvMqReplies(int msqid, long queueBytes, int maxChunk, int msgmax) {
        this.msqid = msqid;
        this.queueBytes = queueBytes;
        this.maxChunk = maxChunk;
        this.outbound = SysvNative.allocate(MTYPE_BYTES + msgmax);
    }

    /** The buffer replies are sent from: {@code MTYPE_BYTES + msgmax} bytes. */
    Pointer buffer() {
        return outbound;
    }

    /**
     * Whether an echo of {@code bytes} keeps the queue at most half full. The bytes sent since the last IPC_STAT
     * bound what replies hold (clients may have read some), so most echoes need no extra call.
     */
    boolean roomFor(int bytes) {
        long half = queueBytes / 2;
        if (bytesSinceStat + bytes <= half) {
            return true;
        }
        /* msgctl(2) IPC_STAT: msg_cbytes, the bytes in the queue now - what `ipcs -q` shows as used-bytes. */
        if (SysvNative.stat(msqid, ds) != 0) {
            return false;
        }
        bytesSinceStat = ds.getLong(SysvNative.DS_CBYTES);
        return bytesSinceStat + bytes <= half;
    }

    /** An echo of {@code bytes} was sent outside {@link #flush}. */
    void sent(int bytes) {
        bytesSinceStat += bytes;
    }

    /**
     * Sends what {@code s}'s backlog holds, as far as the queue has room, then its END if one is pending: an empty
     * message of the client's type, after every echoed byte. True when that END went.
     */
    boolean flush(SysvMqSession s) {
        while (s.start < s.end) {
            int chunk = Math.min(maxChunk, s.end - s.start);
            if (!roomFor(chunk)) {
                return false;
            }
            outbound.putLong(0, s.replyType);
            outbound.put(MTYPE_BYTES, s.backlog, s.start, chunk);
            if (SysvNative.lib().msgsnd(msqid, outbound, chunk, IPC_NOWAIT) != 0) {
                return false;   // EAGAIN: full after all; EINTR: try again in the next round
            }
            bytesSinceStat += chunk;
            s.lastProgressMs = System.currentTimeMillis();
            s.start += chunk;
            s.echoedBytes += chunk;
        }
        s.start = s.end = 0;
        if (s.endPending) {
            outbound.putLong(0, s.replyType);
            return SysvNative.lib().msgsnd(msqid, outbound, 0, IPC_NOWAIT) == 0;
        }
        return false;
    }
}

package org.ipclab.queue.chronicle;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/**
 * A client's check that the file system has room for a message, made before a byte of it touches the mapping.
 *
 * <p>Why not just catch the fault: a full disk shows up as SIGBUS on a store into the mapping (see
 * {@link ChronicleDirectory#isNoSpace}), and HotSpot, for a store in JIT-compiled code, skips the faulting
 * instruction, lets the thread run on and throws the InternalError only at its next check ("in compiled Java
 * code"). Then the copy loop runs on, and the error comes out of Chronicle's {@code DocumentContext.close()},
 * after the point where the message can be rolled back, leaving a half-published excerpt that blocks every
 * reader. So the check comes first; catching the fault stays as the last line of defence, for space another
 * process takes between two checks.
 *
 * <p>statfs(2) runs only when the free space seen last, less what this client appended since, no longer covers
 * the message plus {@link #SPACE_MARGIN_BYTES}, or every {@link #RECHECK_SPACE_EVERY_NS} (others use the disk
 * too); otherwise a check is one clock read and a comparison. Used by one sending thread at a time.
 */
final class ChronicleSpaceBudget {

    /** Free space a message must leave over: room for Chronicle's index arrays and for the page an excerpt's end marker spills into. */
    static final long SPACE_MARGIN_BYTES = 1L << 20;

    /** How often the free space is read again even when the budget still covers a message. */
    static final long RECHECK_SPACE_EVERY_NS = TimeUnit.MILLISECONDS.toNanos(100);

    private final ChronicleDirectory queues;
    private long budget = -1;   // free bytes at the last statfs(2), less what was appended since
    private long checkedNs;

    ChronicleSpaceBudget(ChronicleDirectory queues) {
        this.queues = queues;
    }

    /**
     * Refuses a message of {@code length} payload bytes the file system has no room for. Allocates nothing
     * unless it throws: it runs on every send.
     *
     * @param kind {@link ChronicleFrames#DATA} or a control kind, and {@code seq} the DATA message's number, for the error
     */
    void ensureRoomFor(int kind, long seq, int length) throws IOException {
        long now = System.nanoTime();
        long needed = length + ChronicleFrames.REQUEST_HEADER_BYTES + SPACE_MARGIN_BYTES;
        if (budget < needed || now - checkedNs >= RECHECK_SPACE_EVERY_NS) {
            budget = queues.usableBytes();
            checkedNs = now;
            if (budget >= 0 && budget < needed) {
                String what = kind == ChronicleFrames.DATA ? "message " + seq : ChronicleFrames.kindName(kind);
                throw queues.noSpace("the client could not append " + what + " (" + length + " bytes) to "
                        + queues.path().resolve(ChronicleDirectory.REQUESTS) + ": it needs "
                        + ChronicleDirectory.bytes(needed) + " with the margin; nothing of it was queued", null);
            }
        }
    }

    /** A message of {@code length} payload bytes was appended. */
    void spent(int length) {
        budget -= length + ChronicleFrames.REQUEST_HEADER_BYTES;
    }
}

package org.ipclab.queue.chronicle;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps close() from unmapping a queue file under a send that is still copying into it.
 *
 * <p>Closing the queue unmaps its files (munmap(2)). A writer thread still copying into the mapping would then
 * touch unmapped memory: SIGSEGV, which HotSpot does not turn into an exception, so the JVM dies (a disk-full
 * error in the reading thread that closes the client while the writer thread copies is enough). So a send marks
 * its copy, and close gives a running copy a moment to end first.
 */
final class ChronicleCopyGuard {

    /** How long close() waits for a copy in progress. */
    private static final long CLOSE_WAIT_NS = TimeUnit.SECONDS.toNanos(2);

    private final AtomicBoolean copying = new AtomicBoolean();

    /** The sending thread, before it copies into the mapping. */
    void begin() {
        copying.setRelease(true);   // a plain store on x86: no fence on the hot path
    }

    /** The sending thread, when its copy is over (in a finally). */
    void end() {
        copying.setRelease(false);
    }

    /** close(): waits, for a bounded time, until no copy is in progress. */
    void awaitNoCopy() {
        long deadline = System.nanoTime() + CLOSE_WAIT_NS;
        while (copying.getAcquire() && System.nanoTime() - deadline < 0) {
            Thread.onSpinWait();
        }
    }
}

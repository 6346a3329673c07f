package org.ipclab.queue;

/**
 * One thread's receives with no deadline, as the watchdog that bounds them sees them. mq_timedreceive is
 * called with no deadline (a deadline makes the kernel arm a timer on every sleep); instead, a watchdog check
 * asks {@link #due} whether the receive has slept long enough and, if so, sends an empty wake-up message into
 * the queue. Each sleep is named by the System.nanoTime at which it began, never the same twice, so the
 * watchdog wakes a sleep at most once.
 */
final class MqSleep {

    private volatile long sinceNs;   // 0 when the thread is not in a receive
    private long lastNs;             // the receiving thread only
    private long wokenNs;            // the watchdog thread only

    /** The receiving thread, just before mq_timedreceive. */
    void begin() {
        lastNs = Math.max(System.nanoTime(), lastNs + 1);
        sinceNs = lastNs;
    }

    /** The receiving thread, when mq_timedreceive has returned (in a finally). */
    void end() {
        sinceNs = 0;
    }

    /**
     * The watchdog: the sleep to wake, when one has lasted {@code sliceNs} (or {@code now} says it must end
     * at once) and has not been woken yet; else 0.
     */
    long due(long sliceNs, boolean now) {
        long since = sinceNs;
        if (since == 0 || since == wokenNs || !now && System.nanoTime() - since < sliceNs) {
            return 0;
        }
        return since;
    }

    /** The watchdog: the wake-up for {@code sleep} (from {@link #due}) was sent. */
    void woken(long sleep) {
        wokenNs = sleep;
    }
}

package org.ipclab.queue;

import jnr.ffi.Pointer;

/**
 * The wake-up of one thread's receives that sleep with no deadline: a watchdog thread sends an empty message at
 * a priority of its own into the queue the thread sleeps on, once the sleep has lasted a slice.
 *
 * <p>Why not a deadline: mq_timedreceive(3) with a deadline makes the kernel arm a high-resolution timer on
 * every sleep and cancel it on every wake-up; with none (NULL, like C's mq_receive(3)) it only puts the thread
 * on the queue's wait list. Watch the difference with {@code strace -T -e trace=mq_timedreceive -p <pid>}.
 */
final class MqWakeUp {

    private final MqQueue queue;
    private final int priority;
    private final Pointer empty = MqNative.allocate(1);
    private final MqDeadline deadline = new MqDeadline();
    private final MqSleep sleep = new MqSleep();

    /** Wakes receives on {@code queue} with empty messages of {@code priority}. */
    MqWakeUp(MqQueue queue, int priority) {
        this.queue = queue;
        this.priority = priority;
    }

    /** The receiving thread, just before mq_timedreceive. */
    void begin() {
        sleep.begin();
    }

    /** The receiving thread, when mq_timedreceive has returned (in a finally). */
    void end() {
        sleep.end();
    }

    /** The watchdog: the sleep to wake (see {@link MqSleep#due}), or 0. */
    long due(long sliceNs, boolean now) {
        return sleep.due(sliceNs, now);
    }

    /** The watchdog, while the queue is open: sends the wake-up for {@code sleep} (from {@link #due}). */
    void wake(long sleeping) {
        // never waits: a full queue means the receiver has messages to take and is not asleep
        queue.send(empty, 0, priority, deadline.now());
        sleep.woken(sleeping);
    }
}

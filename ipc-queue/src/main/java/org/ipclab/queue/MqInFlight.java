package org.ipclab.queue;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads inside a call on a client's queue descriptors. close() waits for them before it closes the
 * descriptors: a descriptor closed under a thread that is still about to use it could be reused by the kernel
 * for a new queue (open(2) returns the lowest free number), and the late call would land there.
 */
final class MqInFlight {

    private final AtomicInteger count = new AtomicInteger();

    /** Enters a call; the caller then checks that the client is open, and exits at once if not. */
    void enter() {
        count.incrementAndGet();
    }

    void exit() {
        count.decrementAndGet();
    }

    /** True when no thread is inside a call. */
    boolean none() {
        return count.get() == 0;
    }

    /** Waits, at most {@code timeoutMs}, until no thread is inside a call. */
    void awaitNone(long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (count.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

}

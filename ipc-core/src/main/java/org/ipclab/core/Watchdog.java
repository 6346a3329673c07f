package org.ipclab.core;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one daemon thread that bounds ipc-lab's blocking calls. A read(2), write(2) or mq_receive(3) is made
 * as C makes it, one plain blocking call; a check scheduled here notices when it has waited too long and
 * ends the wait from outside (closes the channel, kills the child, writes a wake-up byte or message).
 * Checks must be quick and must never block: they all share this thread. Watch it: {@code ipc-lab-watchdog}
 * in {@code jstack <pid>}, asleep between checks.
 */
public final class Watchdog {

    private static final ScheduledExecutorService THREAD = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ipc-lab-watchdog");
        t.setDaemon(true);
        return t;
    });

    private Watchdog() {
    }

    /** Runs {@code check} every {@code periodMs} until the returned future is cancelled. */
    public static ScheduledFuture<?> every(long periodMs, Runnable check) {
        return THREAD.scheduleWithFixedDelay(check, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /** How often to check waits bounded by {@code timeout}: a tenth of it, within 5 to 250 ms. */
    public static long periodFor(Duration timeout) {
        return Math.max(5, Math.min(250, timeout.toMillis() / 10));
    }

    /**
     * How many checks, {@link #periodFor(Duration)} apart, make up {@code timeout} (rounded up, at least one): what
     * to pass to {@link BlockedCall#stuckFor(int)} for a call bounded by {@code timeout}.
     */
    public static int checksFor(Duration timeout) {
        long periodMs = periodFor(timeout);
        return (int) Math.max(1, (timeout.toMillis() + periodMs - 1) / periodMs);
    }
}

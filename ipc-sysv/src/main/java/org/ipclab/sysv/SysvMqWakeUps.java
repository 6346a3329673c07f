package org.ipclab.sysv;

import static org.ipclab.sysv.SysvNative.IPC_NOWAIT;
import static org.ipclab.sysv.SysvNative.MTYPE_BYTES;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicInteger;

import jnr.ffi.Pointer;
import org.ipclab.core.BlockedCall;
import org.ipclab.core.Watchdog;

/**
 * How a client's msgrcv, which has no timeout, is bounded: the {@link Watchdog} notices a receive that has slept
 * about {@link #wakeAfterMs()} and sends the client an empty message of the client's own type, which ends it. The
 * client counts the wake-ups asked for, so that it tells them from the server's end of echo (also empty). The
 * receive itself reads no clock: {@link BlockedCall} counts watchdog checks instead.
 */
final class SysvMqWakeUps {

    private static final long WATCH_PERIOD_MS = 20;

    private final int msqid;
    private final Pointer wake = SysvNative.allocate(MTYPE_BYTES);
    private final AtomicInteger asked = new AtomicInteger();
    private final BlockedCall receiving = new BlockedCall();
    private final int checksBeforeWake;
    private final long wakeAfterMs;
    private final ScheduledFuture<?> watch;

    SysvMqWakeUps(int msqid, long replyType, long timeoutMs, long longestSleepMs) {
        this.msqid = msqid;
        wake.putLong(0, replyType);
        long periodMs = Math.min(WATCH_PERIOD_MS, Math.max(1, timeoutMs / 20));
        this.wakeAfterMs = Math.min(longestSleepMs, Math.max(5, timeoutMs / 10));
        this.checksBeforeWake = (int) Math.max(1, wakeAfterMs / periodMs);
        this.watch = Watchdog.every(periodMs, this::wakeAStuckReceive);
    }

    /** About how long a receive sleeps before it is woken. */
    long wakeAfterMs() {
        return wakeAfterMs;
    }

    /** Around the client's blocking msgrcv: {@code enter} before, {@code leave} in a finally. */
    BlockedCall receiving() {
        return receiving;
    }

    /** An empty message came: true (and counted off) when it was one of ours, false when it is the server's. */
    boolean takeOne() {
        if (asked.get() > 0) {
            asked.decrementAndGet();
            return true;
        }
        return false;
    }

    boolean anyAsked() {
        return asked.get() > 0;
    }

    private void wakeAStuckReceive() {
        if (receiving.stuckFor(checksBeforeWake) && asked.get() == 0) {
            wake();
        }
    }

    /** Sends one wake-up now (the closer uses it to end a receive on another thread). */
    void wake() {
        asked.incrementAndGet();   // before the message: the receiver may get it at once
        /* msgsnd(2) of an empty message of the client's type, IPC_NOWAIT: it ends the client's msgrcv. */
        if (SysvNative.lib().msgsnd(msqid, wake, 0, IPC_NOWAIT) != 0) {
            asked.decrementAndGet();
        }
    }

    void stop() {
        watch.cancel(false);
    }
}

package org.ipclab.sysv;

import java.io.IOException;
import java.util.concurrent.locks.LockSupport;

/**
 * A wait by polling, for the rare moments a client must wait without a blocking call to sleep in (the queue is full,
 * or too much of its echo is still unread): short sleeps that double from 20 µs up to 1 ms, a deadline, and a check
 * that the server still lives every {@link SysvMqEchoClient#LIVENESS_CHECK_MS} ms. Made only once a wait begins, so
 * the usual path reads no clock.
 */
final class SysvMqPoll {

    /** What to check now and then while waiting; it throws when waiting is pointless. */
    @FunctionalInterface
    interface Check {
        void run() throws IOException;
    }

    private final long giveUpMs;
    private final Check check;
    private long nextCheckMs;
    private long backoffNs;

    /**
     * @param giveUpMs the deadline (System.currentTimeMillis), or -1 for {@code timeoutMs} from now
     * @param check    run every liveness period, or null for none
     */
    SysvMqPoll(long timeoutMs, long giveUpMs, Check check) {
        long now = System.currentTimeMillis();
        this.giveUpMs = giveUpMs < 0 ? now + timeoutMs : giveUpMs;
        this.check = check;
        this.nextCheckMs = now + SysvMqEchoClient.LIVENESS_CHECK_MS;
    }

    /** False when the deadline has passed; otherwise runs the check when it is due and sleeps a little. */
    boolean pause() throws IOException {
        long now = System.currentTimeMillis();
        if (now >= giveUpMs) {
            return false;
        }
        if (check != null && now >= nextCheckMs) {
            check.run();
            nextCheckMs = now + SysvMqEchoClient.LIVENESS_CHECK_MS;
        }
        backoffNs = Math.min(1_000_000, Math.max(20_000, backoffNs * 2));
        LockSupport.parkNanos(backoffNs);
        return true;
    }
}

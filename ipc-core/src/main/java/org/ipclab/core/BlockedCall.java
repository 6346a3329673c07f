package org.ipclab.core;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * Tells a {@link Watchdog} check how long one thread has been inside a blocking call, without reading a clock on
 * the calling thread. The caller bumps a counter as it enters the call and again as it leaves (odd: inside); each
 * check looks at the counter, and a call seen inside at {@code n + 1} checks in a row, with the counter unchanged,
 * has lasted at least {@code n} check periods (and less than {@code n + 1}) - whatever the clock says.
 *
 * <p>Why not a timestamp: a clock read costs a few tens of nanoseconds, twice per round trip, on a path whose C
 * floor does not read the clock at all. Two plain stores (release order is free on x86) cost nothing measurable.
 *
 * <p>One thread calls {@link #enter()} and {@link #leave()}; one checking thread calls {@link #stuckFor(int)}.
 */
public final class BlockedCall {

    private static final VarHandle CALLS;

    static {
        try {
            CALLS = MethodHandles.lookup().findVarHandle(BlockedCall.class, "calls", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Bumped on enter and on leave: odd while a call is in progress. Written by the calling thread only. */
    @SuppressWarnings("unused")   // through CALLS
    private long calls;

    // the checking thread's own memory of what it saw
    private long lastSeen = -1;
    private int seenInside;

    /** Before the blocking call. */
    public void enter() {
        CALLS.setRelease(this, (long) CALLS.getOpaque(this) + 1);
    }

    /** After it, however it ended (put it in a finally). */
    public void leave() {
        CALLS.setRelease(this, (long) CALLS.getOpaque(this) + 1);
    }

    /** Whether a call is in progress now (for a closer waiting for a reader to leave). */
    public boolean inside() {
        return ((long) CALLS.getAcquire(this) & 1) == 1;
    }

    /**
     * For the checking thread, once per check period: true when the same call was in progress at this check and at
     * the {@code periods} checks before it, so it has lasted at least {@code periods} periods. It stays true at
     * later checks until that call ends.
     */
    public boolean stuckFor(int periods) {
        long now = (long) CALLS.getAcquire(this);
        if ((now & 1) == 0) {
            lastSeen = now;
            seenInside = 0;
            return false;
        }
        if (now != lastSeen) {
            lastSeen = now;
            seenInside = 1;   // a new call: seen once
            return periods <= 0;
        }
        if (seenInside <= periods) {
            seenInside++;
        }
        return seenInside > periods;
    }
}

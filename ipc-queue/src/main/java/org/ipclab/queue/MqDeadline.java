package org.ipclab.queue;

import jnr.ffi.Pointer;

/**
 * A struct timespec in native memory, reused for every wait: mq_timedsend and mq_timedreceive take an
 * <em>absolute</em> deadline on CLOCK_REALTIME (the wall clock), not a duration.
 *
 * <p>Absolute is what makes retrying after EINTR easy: the same deadline is passed again and the total wait
 * stays bounded. The wall clock is the wart: if someone sets the clock back an hour during a wait, the
 * wait grows by an hour (there is no CLOCK_MONOTONIC variant of these calls). Our waits are short slices,
 * so a clock jump costs at most one slice. {@link System#currentTimeMillis()} reads the same clock.
 *
 * <p>One instance per thread: two threads writing one timespec would pass each other's deadlines.
 */
final class MqDeadline {

    private final Pointer timespec;
    private final int nanosOffset;

    MqDeadline() {
        int longSize = MqNative.longSize();   // time_t and long: 8 bytes each on 64-bit Linux
        this.timespec = MqNative.allocate(2 * longSize);
        this.nanosOffset = longSize;
    }

    /** The timespec for {@code epochMs} (CLOCK_REALTIME milliseconds), ready to pass to the kernel. */
    Pointer at(long epochMs) {
        timespec.putNativeLong(0, Math.floorDiv(epochMs, 1000));
        timespec.putNativeLong(nanosOffset, Math.floorMod(epochMs, 1000) * 1_000_000L);
        return timespec;
    }

    /** A deadline already passed: the call returns at once (ETIMEDOUT) instead of waiting. */
    Pointer now() {
        return at(System.currentTimeMillis());
    }
}

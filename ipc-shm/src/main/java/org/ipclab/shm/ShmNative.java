package org.ipclab.shm;

import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Optional;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.annotations.IgnoreError;

/**
 * futex(2) through libc's {@code syscall(3)}, loaded once with jnr-ffi. glibc has no futex() wrapper, so the call
 * is made by number: {@code SYS_futex} is 202 on x86-64 and 98 on arm64.
 *
 * <p>Only the shared (non-private) operations are used. {@code FUTEX_WAIT_PRIVATE} keys the wait queue on the
 * calling process's address space, so a waker in another process, whose mapping of the same page lies elsewhere,
 * never finds the sleeper: every wake-up is lost, silently. The shared operations key it on the page of the file
 * (inode and offset), which both processes map.
 */
final class ShmNative {

    static final int FUTEX_WAIT = 0;
    static final int FUTEX_WAKE = 1;

    static final int EAGAIN = 11;
    static final int EINTR = 4;
    static final int ETIMEDOUT = 110;

    /**
     * libc's syscall(3), bound twice under names of our own (the mapper below turns both into "syscall"). In C it is
     * variadic, {@code long syscall(long number, ...)}; it is bound here as a fixed seven-argument function, which
     * passes the same registers on x86-64 and arm64 Linux, because glibc's syscall is a few instructions of assembly
     * that only move registers - and a true variadic call through jnr-ffi is measurably slower, twice per round trip.
     * It takes six arguments, not futex's full seven: jnr-ffi has a fast path for up to six numeric arguments and a
     * slower general one above; futex's last argument (val3) means nothing to FUTEX_WAIT and FUTEX_WAKE, the only
     * operations made here, so whatever the seventh slot holds is ignored by the kernel.
     */
    public interface LibC {
        /** futex(2) FUTEX_WAIT for the rings: the caller looks at the word again anyway, so errno is not saved. */
        @IgnoreError
        long futexWait(long number, long uaddr, long op, long val, long timeout, long uaddr2);

        /** futex(2) FUTEX_WAKE; its only failure would be a bad address, so errno is not saved (a little faster). */
        @IgnoreError
        long futexWake(long number, long uaddr, long op, long val, long timeout, long uaddr2);

        /** Any futex(2) operation, errno kept: for the experiments, which report how each call ended. */
        long futex(long number, long uaddr, long op, long val, long timeout, long uaddr2);
    }

    private record Loaded(LibC lib, jnr.ffi.Runtime runtime, long sysFutex, String failure) {
    }

    private static final Loaded LOADED = load();

    private ShmNative() {
    }

    private static Loaded load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return new Loaded(null, null, -1, "shm waits on futex(2), which is Linux only (this is " + os + ")");
        }
        String arch = System.getProperty("os.arch", "");
        long nr = switch (arch) {
            case "amd64", "x86_64" -> 202;
            case "aarch64", "arm64" -> 98;
            default -> -1;
        };
        if (nr < 0) {
            return new Loaded(null, null, -1, "the futex(2) system call number is not known for " + arch);
        }
        try {
            LibC lib = LibraryLoader.create(LibC.class).mapper((method, context) -> "syscall").load("c");
            return new Loaded(lib, jnr.ffi.Runtime.getRuntime(lib), nr, null);
        } catch (UnsatisfiedLinkError | IllegalStateException e) {
            return new Loaded(null, null, -1, "jnr-ffi could not load the C library: " + e.getMessage());
        }
    }

    static Optional<String> unavailableReason() {
        return Optional.ofNullable(LOADED.failure());
    }

    private static Loaded loaded() {
        if (LOADED.failure() != null) {
            throw new IllegalStateException(LOADED.failure());
        }
        return LOADED;
    }

    /** The native address of a direct buffer's first byte (a MappedByteBuffer is direct). */
    static long address(ByteBuffer direct) {
        if (!direct.isDirect()) {
            throw new IllegalArgumentException("not a direct buffer");
        }
        return Pointer.wrap(loaded().runtime(), direct).address();
    }

    /** 16 bytes of native memory for one waiter's struct timespec, reused for every wait. */
    static Pointer timespec() {
        return Memory.allocateDirect(loaded().runtime(), 16);
    }

    /**
     * futex(2) FUTEX_WAIT: sleeps in the kernel while the int at {@code address} still holds {@code expected}, at
     * most {@code timeoutNs}. The kernel compares and sleeps atomically with respect to FUTEX_WAKE, so a wake-up
     * that comes after the word changed cannot be missed. It returns when woken, when the word had already changed
     * (EAGAIN), at the timeout (ETIMEDOUT) or on a signal (EINTR); the caller tells these apart by looking at the
     * word again, so the result (0 or -1) is all this returns. Watch it: {@code strace -f -e trace=futex -p <pid>} shows
     * {@code futex(0x7f…, FUTEX_WAIT, …)} - with no {@code _PRIVATE}.
     */
    static int futexWait(long address, int expected, long timeoutNs, Pointer timespec) {
        Loaded l = loaded();
        timespec.putLong(0, timeoutNs / 1_000_000_000L);
        timespec.putLong(8, timeoutNs % 1_000_000_000L);
        return (int) l.lib().futexWait(l.sysFutex(), address, FUTEX_WAIT, expected, timespec.address(), 0);
    }

    /**
     * futex(2) FUTEX_WAKE: wakes up to {@code count} processes sleeping on the word at {@code address}; returns how
     * many it woke. Costs a system call even when nobody sleeps, which is why the waker first reads the waiter
     * count in the segment and calls this only when it is not zero.
     */
    static int futexWake(long address, int count) {
        Loaded l = loaded();
        return (int) l.lib().futexWake(l.sysFutex(), address, FUTEX_WAKE, count, 0, 0);
    }

    /** FUTEX_PRIVATE_FLAG: "only threads of this process wait here" - the mistake the futex probe shows. */
    static final int FUTEX_PRIVATE_FLAG = 128;

    /** Any futex operation with a value and a timeout (0: none); returns the call's result, or -errno. */
    static long futex(long address, int op, int val, long timeoutNs, Pointer timespec) {
        Loaded l = loaded();
        long ts = 0;
        if (timeoutNs > 0) {
            timespec.putLong(0, timeoutNs / 1_000_000_000L);
            timespec.putLong(8, timeoutNs % 1_000_000_000L);
            ts = timespec.address();
        }
        long r = l.lib().futex(l.sysFutex(), address, op, val, ts, 0);
        return r >= 0 ? r : -l.runtime().getLastError();
    }

    static int pid() {
        return (int) ProcessHandle.current().pid();
    }
}

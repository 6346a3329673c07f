package org.ipclab.queue;

import java.util.Locale;
import java.util.Optional;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;

/**
 * The loaded C library, errno, and the Linux constants the queues need. Loading happens once, on first
 * use; if it fails (no libc with mq_open, not Linux) {@link #unavailableReason()} says why, and the
 * transport is skipped rather than failed. Public for the property experiments (module comparison), which
 * make raw calls on queues of their own and want each errno as it is.
 */
public final class MqNative {

    // open(2) flags and errno values: the same on every Linux architecture ipc-lab runs on (x86-64, arm64).
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_NONBLOCK = 04000;

    static final int ENOENT = 2;
    static final int EINTR = 4;
    static final int ESRCH = 3;
    static final int EBADF = 9;
    static final int EAGAIN = 11;
    static final int ENOMEM = 12;
    static final int EACCES = 13;
    static final int EEXIST = 17;
    static final int EINVAL = 22;
    static final int ENFILE = 23;
    public static final int EMFILE = 24;
    static final int ENOSPC = 28;
    static final int ENAMETOOLONG = 36;
    static final int ENOSYS = 38;
    static final int EMSGSIZE = 90;
    static final int ETIMEDOUT = 110;

    /** getrlimit(2) resource: bytes of queue memory one user may hold in all its queues. */
    static final int RLIMIT_MSGQUEUE = 12;

    private static final Loaded LOADED = load();

    private record Loaded(MqLibC lib, jnr.ffi.Runtime runtime, String failure) {
    }

    private MqNative() {
    }

    private static Loaded load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return new Loaded(null, null, "POSIX message queues are wired for Linux only (this is " + os + ")");
        }
        MqLibC lib;
        try {
            // glibc 2.34 and later keep mq_* in libc.so.6; older ones in librt.so.1, which newer ones still ship.
            lib = LibraryLoader.create(MqLibC.class).library("c").library("rt").load();
        } catch (UnsatisfiedLinkError withRt) {
            try {
                lib = LibraryLoader.create(MqLibC.class).library("c").load();
            } catch (UnsatisfiedLinkError | IllegalStateException e) {
                return new Loaded(null, null, "jnr-ffi could not load the C library: " + e.getMessage());
            }
        } catch (IllegalStateException e) {
            return new Loaded(null, null, "jnr-ffi could not load the C library: " + e.getMessage());
        }
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(lib);
        String failure = probe(lib, runtime);
        return new Loaded(lib, runtime, failure);
    }

    /** Opens a queue that does not exist: ENOENT means the kernel has message queues, ENOSYS that it has not. */
    private static String probe(MqLibC lib, jnr.ffi.Runtime runtime) {
        try {
            int fd = lib.mq_open("/ipclab-availability-check-" + lib.getpid(), O_RDONLY);
            int errno = runtime.getLastError();
            if (fd >= 0) {
                lib.mq_close(fd);
                return null;
            }
            if (errno == ENOSYS) {
                return "this kernel has no POSIX message queues (built without CONFIG_POSIX_MQUEUE)";
            }
            return null;
        } catch (UnsatisfiedLinkError e) {
            return "mq_open is not in this C library (" + e.getMessage() + ")";
        }
    }

    /** Why queues cannot be used here, or empty when they can. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(LOADED.failure());
    }

    /** The library; fails with the reason when queues are unavailable. */
    public static MqLibC lib() {
        if (LOADED.failure() != null) {
            throw new IllegalStateException(LOADED.failure());
        }
        return LOADED.lib();
    }

    static jnr.ffi.Runtime runtime() {
        lib();
        return LOADED.runtime();
    }

    /** errno of the last call on this thread (jnr-ffi saves it right after every call). */
    public static int errno() {
        return LOADED.runtime().getLastError();
    }

    /** Native memory, outside the Java heap: the kernel copies messages straight from and into it. */
    public static Pointer allocate(int bytes) {
        return Memory.allocateDirect(runtime(), bytes, true);
    }

    /** Bytes of a C {@code long} (struct mq_attr, struct timespec and struct rlimit are made of them). */
    public static int longSize() {
        return runtime().longSize();
    }

    static int pid() {
        return lib().getpid();
    }

    /**
     * Whether process {@code pid} still exists. A message queue has no connection, so nothing tells one side
     * that the other has died: we ask the kernel with kill(pid, 0), which checks and sends nothing.
     * EPERM means it exists but belongs to another user.
     */
    static boolean isAlive(int pid) {
        if (pid <= 0) {
            return false;
        }
        return lib().kill(pid, 0) == 0 || errno() != ESRCH;
    }
}

package org.ipclab.pipe;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;

import jnr.constants.platform.Errno;
import jnr.constants.platform.OpenFlags;
import jnr.ffi.LastError;
import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import jnr.ffi.types.intptr_t;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.ipclab.core.Errnos;

/**
 * The system calls that java.nio does not offer for FIFOs: mkfifo(3), open(2) with O_NONBLOCK, poll(2),
 * flock(2), read(2) and write(2) on a raw file descriptor.
 *
 * <p>Two bindings. {@link LibC} is a small one of our own (jnr-ffi) for everything a client does and for the
 * echo loop: read and write take the address of a native buffer, so there is no copy on the way to the
 * kernel and no allocation per call; and being small, it is quick to load (jnr generates its glue code at
 * first use, and jnr-posix's covers hundreds of functions: loading it costs a few hundred milliseconds more,
 * which a client would show as connect time). jnr-posix serves the server's set-up: mkfifo, fcntl.
 *
 * <p>Every descriptor opened here is O_CLOEXEC: a child this JVM starts later (the pipe transport starts
 * many) must not inherit our FIFO ends, or a reader or writer would stay open after we close ours, and the
 * other side would never see end of file or EPIPE.
 */
final class Posix {

    /** The raw calls. Public because jnr-ffi generates its implementation in another class loader. */
    public interface LibC {
        @ssize_t long read(int fd, @intptr_t long buffer, @size_t long count);

        @ssize_t long write(int fd, @intptr_t long buffer, @size_t long count);

        int poll(@intptr_t long pollfds, @size_t long count, int timeoutMs);

        int pipe2(int[] fds, int flags);

        int open(CharSequence path, int flags, int mode);

        int close(int fd);

        int flock(int fd, int operation);

        int fcntl(int fd, int command, int argument);
    }

    static final int O_RDONLY = OpenFlags.O_RDONLY.intValue();
    static final int O_WRONLY = OpenFlags.O_WRONLY.intValue();
    static final int O_RDWR = OpenFlags.O_RDWR.intValue();
    static final int O_CREAT = OpenFlags.O_CREAT.intValue();
    static final int O_NONBLOCK = OpenFlags.O_NONBLOCK.intValue();
    static final int O_CLOEXEC = OpenFlags.O_CLOEXEC.intValue();
    static final int O_DIRECTORY = OpenFlags.O_DIRECTORY.intValue();

    /** poll(2) events, from {@code <poll.h>} (the same on every Linux architecture). */
    static final short POLLIN = 0x001;
    static final short POLLOUT = 0x004;
    static final short POLLHUP = 0x010;

    /** fcntl(2) commands, from {@code <fcntl.h>}. */
    static final int F_GETFL = 3;
    static final int F_SETFL = 4;
    /** fcntl(2): a copy of a descriptor, closed on execve(2) so no later child inherits it (Linux's number). */
    static final int F_DUPFD_CLOEXEC = 1030;

    /** flock(2) operations, from {@code <sys/file.h>}. */
    static final int LOCK_EX = 2;
    static final int LOCK_NB = 4;

    static final int EAGAIN = Errno.EAGAIN.intValue();
    static final int EINTR = Errno.EINTR.intValue();
    static final int ENXIO = Errno.ENXIO.intValue();
    static final int EPIPE = Errno.EPIPE.intValue();
    static final int ENOENT = Errno.ENOENT.intValue();
    static final int EWOULDBLOCK = Errno.EWOULDBLOCK.intValue();

    private Posix() {
    }

    /** Loaded on first use, so that a transport can report "unavailable" instead of failing to load. */
    private static final class Holder {
        static final LibC LIBC = LibraryLoader.create(LibC.class).load("c");
        static final Runtime RUNTIME = Runtime.getRuntime(LIBC);
    }

    private static final class PosixHolder {
        static final POSIX POSIX = POSIXFactory.getNativePOSIX();
    }

    /** jnr-posix, loaded on first use: for the server's set-up (mkfifo, fcntl) and for tests (kill). */
    static POSIX posix() {
        return PosixHolder.POSIX;
    }

    static LibC libc() {
        return Holder.LIBC;
    }

    /** errno of this thread's last call through jnr. */
    static int errno() {
        return LastError.getLastError(Holder.RUNTIME);
    }

    /** "ENXIO (No such device or address)". */
    static String describe(int errno) {
        return Errnos.text(errno);
    }

    /** Why native POSIX calls cannot be made here, or null when they can. */
    static String unavailableReason() {
        try {
            if (!posix().isNative()) {
                return "jnr-posix has no native POSIX on this platform (mkfifo, poll and flock are needed)";
            }
            libc();
            return null;
        } catch (Throwable t) {
            return "native POSIX calls are unavailable: " + t;
        }
    }

    static Runtime runtime() {
        return Holder.RUNTIME;
    }

    static Pointer allocate(int bytes) {
        return Memory.allocateDirect(Holder.RUNTIME, bytes);
    }

    static void closeQuietly(int fd) {
        if (fd >= 0) {
            libc().close(fd);
        }
    }

    /**
     * A fixed set of {@code struct pollfd} in native memory, reused for every poll(2): a wait costs one system
     * call and no allocation. One per thread that waits.
     */
    static final class PollSet {
        private static final int POLLFD_BYTES = 8;   // int fd; short events; short revents
        private final Pointer memory;
        private final long address;
        private final int count;

        PollSet(int count) {
            this.count = count;
            this.memory = allocate(count * POLLFD_BYTES);
            this.address = memory.address();
            for (int i = 0; i < count; i++) {
                set(i, -1, (short) 0);   // a negative fd is ignored by poll(2)
            }
        }

        void set(int index, int fd, short events) {
            memory.putInt((long) index * POLLFD_BYTES, fd);
            memory.putShort((long) index * POLLFD_BYTES + 4, events);
            memory.putShort((long) index * POLLFD_BYTES + 6, (short) 0);
        }

        short revents(int index) {
            return memory.getShort((long) index * POLLFD_BYTES + 6);
        }

        /**
         * poll(2): sleeps until one of the descriptors is ready or {@code timeoutMs} passes (-1: no bound).
         * Returns the number of ready descriptors, 0 on timeout. A signal (EINTR) restarts the wait with the
         * time that is left.
         */
        int await(long timeoutMs) throws IOException {
            long deadline = timeoutMs < 0 ? 0 : System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            long waitMs = timeoutMs;
            while (true) {
                int ready = libc().poll(address, count, (int) Math.min(waitMs, Integer.MAX_VALUE));
                if (ready >= 0) {
                    return ready;
                }
                int errno = errno();
                if (errno != EINTR) {
                    throw new IOException("poll failed: " + describe(errno));
                }
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedIOException("interrupted while waiting in poll");
                }
                if (timeoutMs >= 0) {
                    waitMs = Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
                }
            }
        }
    }
}

package org.ipclab.core.experiments;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jnr.constants.platform.Errno;
import jnr.constants.platform.Fcntl;
import jnr.constants.platform.OpenFlags;
import jnr.posix.POSIX;
import jnr.posix.POSIXFactory;
import org.ipclab.core.Errnos;

/**
 * The raw libc calls of the property experiments (through jnr-posix), with errno kept beside each result.
 *
 * <p>Java's own streams hide exactly what these experiments want to show (EBADF, EAGAIN, ENXIO, EPIPE), so the
 * experiments call the system calls themselves. Watch any of them with {@code strace -f -e trace=<call> -p <pid>}.
 */
public final class Libc {

    public static final POSIX POSIX = POSIXFactory.getNativePOSIX();

    public static final int O_RDONLY = OpenFlags.O_RDONLY.intValue();
    public static final int O_WRONLY = OpenFlags.O_WRONLY.intValue();
    public static final int O_NONBLOCK = OpenFlags.O_NONBLOCK.intValue();
    public static final int O_CLOEXEC = OpenFlags.O_CLOEXEC.intValue();

    public static final int EBADF = Errno.EBADF.intValue();
    public static final int EAGAIN = Errno.EAGAIN.intValue();
    public static final int EPIPE = Errno.EPIPE.intValue();
    public static final int ENXIO = Errno.ENXIO.intValue();

    /** Writes up to this size to a pipe or FIFO are atomic: never interleaved with other writers (pipe(7)). */
    public static final int PIPE_BUF = 4096;

    private Libc() {
    }

    /** The experiments are meaningless through jnr-posix's pure-Java fallback; say so instead of faking them. */
    public static void requireNative() throws IOException {
        if (!POSIX.isNative()) {
            throw new IOException("jnr-posix could not load libc on this machine, so pipe(2), mkfifo(3) and "
                    + "fcntl(2) cannot be called; these experiments need Linux with glibc");
        }
    }

    /** One call's return value, and errno when it returned -1. */
    public record Outcome(long result, int errno) {
        public boolean failed() {
            return result < 0;
        }

        public boolean failedWith(int expected) {
            return failed() && errno == expected;
        }

        /** "wrote 5" style for successes, "EBADF (Bad file descriptor)" for failures. */
        public String describe() {
            return failed() ? Errnos.text(errno) : "returned " + result;
        }
    }

    public static Outcome write(int fd, byte[] bytes, int length) {
        int n = POSIX.write(fd, bytes, length);
        return new Outcome(n, n < 0 ? POSIX.errno() : 0);
    }

    public static Outcome read(int fd, byte[] bytes, int length) {
        int n = POSIX.read(fd, bytes, length);
        return new Outcome(n, n < 0 ? POSIX.errno() : 0);
    }

    /** open(2) without throwing: the experiments want to see ENXIO and friends. O_CLOEXEC: children never inherit it. */
    public static Outcome open(String path, int flags) {
        int fd = POSIX.open(path, flags | O_CLOEXEC, 0);
        return new Outcome(fd, fd < 0 ? POSIX.errno() : 0);
    }

    public static Fd openOrThrow(String path, int flags, String why) throws IOException {
        Outcome opened = open(path, flags);
        if (opened.failed()) {
            throw new IOException("open " + path + " (" + why + ") failed: " + opened.describe());
        }
        return new Fd((int) opened.result());
    }

    /**
     * pipe(2): the kernel makes one pipe (a ring of pages, 64 KiB by default) and returns two descriptors:
     * [0] only reads, [1] only writes. It has no name anywhere: only this process and children it forks can
     * hold the ends. See it with {@code ls -l /proc/<pid>/fd} ("pipe:[inode]"). Man page: pipe(7).
     */
    public static Fd[] pipe() throws IOException {
        int[] fds = new int[2];
        if (POSIX.pipe(fds) < 0) {
            throw new IOException("pipe(2) failed: " + Errnos.text(POSIX.errno())
                    + "; too many open files? check `ulimit -n`");
        }
        Fd readEnd = new Fd(fds[0]);
        Fd writeEnd = new Fd(fds[1]);
        // FD_CLOEXEC: a child process started later must not inherit these ends (it would keep the pipe alive).
        POSIX.fcntlInt(fds[0], Fcntl.F_SETFD, 1);
        POSIX.fcntlInt(fds[1], Fcntl.F_SETFD, 1);
        return new Fd[] {readEnd, writeEnd};
    }

    /** fcntl(F_SETFL, O_NONBLOCK): from now on a write that cannot proceed fails with EAGAIN instead of sleeping. */
    public static void setNonBlocking(Fd fd) throws IOException {
        int flags = POSIX.fcntl(fd.fd(), Fcntl.F_GETFL);
        if (flags < 0 || POSIX.fcntlInt(fd.fd(), Fcntl.F_SETFL, flags | O_NONBLOCK) < 0) {
            throw new IOException("fcntl(F_SETFL, O_NONBLOCK) failed: " + Errnos.text(POSIX.errno()));
        }
    }

    /** fcntl(F_GETPIPE_SZ): the pipe's capacity in bytes (Linux only; /proc/sys/fs/pipe-max-size caps F_SETPIPE_SZ). */
    public static int pipeSize(Fd fd) throws IOException {
        int size = POSIX.fcntl(fd.fd(), Fcntl.F_GETPIPE_SZ);
        if (size < 0) {
            throw new IOException("fcntl(F_GETPIPE_SZ) failed: " + Errnos.text(POSIX.errno()));
        }
        return size;
    }

    /**
     * Reads what arrives on a non-blocking descriptor, each read(2) asking for a whole {@code buffer}, until
     * {@code want} bytes came, end of file, or the time is up. Returns the size of each read, so an experiment can
     * show how the bytes were cut; copies them to {@code sink} when it is not null.
     */
    public static List<Integer> readUntil(Fd fd, byte[] buffer, long want, ByteArrayOutputStream sink, Duration timeout)
            throws IOException {
        List<Integer> reads = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        long total = 0;
        while (total < want) {
            Outcome got = read(fd.fd(), buffer, buffer.length);
            if (got.failedWith(EAGAIN)) {
                if (System.nanoTime() > deadline) {
                    break;
                }
                pause();
                continue;
            }
            if (got.failed()) {
                throw new IOException("read(2) failed: " + got.describe());
            }
            if (got.result() == 0) {
                break;
            }
            reads.add((int) got.result());
            total += got.result();
            if (sink != null) {
                sink.write(buffer, 0, (int) got.result());
            }
        }
        return reads;
    }

    public static void pause() throws IOException {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for a descriptor", e);
        }
    }

    /** A file descriptor that is closed once (close(2) twice could close a number another thread reused). */
    public static final class Fd implements AutoCloseable {
        private final int fd;
        private boolean closed;

        public Fd(int fd) {
            this.fd = fd;
        }

        public int fd() {
            return fd;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                POSIX.close(fd);
            }
        }
    }
}

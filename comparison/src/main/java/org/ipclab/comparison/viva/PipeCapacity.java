package org.ipclab.comparison.viva;

import java.io.IOException;
import java.nio.file.Path;

import jnr.constants.platform.Errno;
import jnr.constants.platform.Fcntl;
import jnr.constants.platform.OpenFlags;
import org.ipclab.core.ProcFiles;
import org.ipclab.report.model.VivaAnswer;

/**
 * A pipe's capacity, asked two ways: fcntl(F_GETPIPE_SZ) (Linux) and by filling a fresh pipe with non-blocking
 * writes until the kernel says EAGAIN. A blocking writer would sleep there until the reader made room. The default
 * is 16 pages; F_SETPIPE_SZ changes it, up to /proc/sys/fs/pipe-max-size for an unprivileged process. See pipe(7).
 */
final class PipeCapacity implements VivaExperiment {

    static final int CHUNK = 1024;
    static final long LIMIT = 64L << 20;
    static final Path PIPE_MAX_SIZE = Path.of("/proc/sys/fs/pipe-max-size");

    @Override
    public String id() {
        return "pipe-capacity";
    }

    @Override
    public String question() {
        return "How much data can a pipe hold?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        if (!Errnos.POSIX.isNative()) {
            throw new IOException("jnr-posix could not load libc, so pipe(2) and fcntl(2) cannot be called here");
        }
        Measured m = new Measured();
        int[] fds = new int[2];
        /* pipe(2): a ring of pages in the kernel and two descriptors, fds[0] to read and fds[1] to write; it has
         * no name, only this process (and children it forks) can reach it. ls -l /proc/PID/fd shows pipe:[inode]. */
        if (Errnos.POSIX.pipe(fds) < 0) {
            throw new IOException("pipe(2) failed: " + Errnos.describe(Errnos.POSIX.errno()));
        }
        try {
            m.put("writeEnd", ProcSelf.link(fds[1]).orElse("?")); // pipe:[inode], as ls -l /proc/PID/fd shows it
            String reported = m.count("fGetpipeSzBytes", Errnos.POSIX.fcntl(fds[1], Fcntl.F_GETPIPE_SZ));
            int flags = Errnos.POSIX.fcntl(fds[1], Fcntl.F_GETFL);
            Errnos.POSIX.fcntlInt(fds[1], Fcntl.F_SETFL, flags | OpenFlags.O_NONBLOCK.intValue());
            byte[] chunk = new byte[CHUNK];
            long filled = 0;
            int writes = 0;
            int errno = 0;
            while (filled < LIMIT) {
                int n = Errnos.POSIX.write(fds[1], chunk, CHUNK);
                if (n < 0) {
                    errno = Errnos.POSIX.errno();
                    break;
                }
                filled += n;
                writes++;
            }
            if (errno != Errno.EAGAIN.intValue()) {
                throw new IOException("filling the pipe ended with " + (errno == 0 ? "no error after " + filled + " bytes"
                        : Errnos.describe(errno)) + ", not EAGAIN");
            }
            String held = m.count("filledBytes", filled);
            String count = m.count("writes", writes);
            String stopped = m.put("then", Errnos.describe(errno));
            String max = m.count("pipeMaxSizeBytes", ProcFiles.readLong(PIPE_MAX_SIZE).orElse(-1));
            return m.answer(this, "A pipe is a fixed-size buffer in the kernel between its write end and its read end; "
                    + "a writer that fills it sleeps until the reader takes some out. For a new pipe in this run "
                    + "fcntl(F_GETPIPE_SZ) said " + reported + " bytes, and " + count + " non-blocking writes of " + CHUNK
                    + " bytes filled it with exactly " + held + " before write failed with " + stopped + ". A process "
                    + "may raise it with F_SETPIPE_SZ up to /proc/sys/fs/pipe-max-size, " + max + " bytes here.");
        } finally {
            Errnos.POSIX.close(fds[0]);
            Errnos.POSIX.close(fds[1]);
        }
    }
}

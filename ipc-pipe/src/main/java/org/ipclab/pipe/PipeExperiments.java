package org.ipclab.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jnr.constants.platform.Signal;
import org.ipclab.core.ChildProcess;
import org.ipclab.core.Closer;
import org.ipclab.core.Errnos;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.Libc.Fd;
import org.ipclab.core.experiments.Libc.Outcome;
import org.ipclab.core.experiments.Libc;
import org.ipclab.core.experiments.Probes;

/** The property experiments for anonymous pipes: pipe(2) in this process, and the pipes Java makes for a child. */
final class PipeExperiments extends PipeLikeExperiments {

    static final int CRASH_BYTES = 1000;
    static final int CHILDREN = 3;
    static final int CHILD_BYTES = 1024;

    @Override
    public String transport() {
        return PipeDescriptor.INSTANCE.id();
    }

    @Override
    String madeBy() {
        return "pipe(2)";
    }

    @Override
    Fd[] openEnds(Path dir) throws IOException {
        Fd[] ends = Libc.pipe();
        try {
            Libc.setNonBlocking(ends[0]);
            Libc.setNonBlocking(ends[1]);
            return ends;
        } catch (IOException e) {
            Closer.closeQuietly(e, ends);
            throw e;
        }
    }

    /** What a write into a pipe whose read end is closed did. */
    Outcome writeWithNoReader() throws IOException {
        Libc.requireNative();
        Fd[] ends = Libc.pipe();
        try (Fd writeEnd = ends[1]) {
            ends[0].close();
            byte[] bytes = {42};
            /* write(2) to a pipe with no read end left: the kernel sends the writer SIGPIPE (whose default action
             * ends the process: the "Broken pipe" death of `yes | head -1`) and the call fails with EPIPE. The JVM
             * ignores SIGPIPE, so Java sees only the error. Watch: `strace -e trace=write,signal`. */
            return Libc.write(writeEnd.fd(), bytes, bytes.length);
        }
    }

    @Override
    public Cell senderWithNoPeer(Path dir) throws IOException {
        Outcome outcome = writeWithNoReader();
        return Cell.measured(outcome.failedWith(Libc.EPIPE) ? "EPIPE + SIGPIPE" : outcome.describe(),
                "pipe(2), close(2) of the read end, then write(2) of 1 B to the write end: it failed with "
                        + outcome.describe() + ", and the kernel sent SIGPIPE (the JVM ignores it; a C program "
                        + "without a handler dies of it). There is no open(2) to fail first: a pipe exists only "
                        + "between processes that already hold its ends.");
    }

    /** The reader killed with bytes unread in its pipe: what our next write said. */
    record Crash(String childStdin, int exitCode, Outcome nextWrite) {
    }

    Crash crashProbe() throws IOException {
        Libc.requireNative();
        /* The child's stdin is a pipe Java made (pipe2(2) + fork + dup2 onto fd 0); `sleep` never reads it. */
        Process process = new ProcessBuilder("sleep", "30").redirectErrorStream(true).start();
        try (ChildProcess child = new ChildProcess(process, "sleep (pid " + process.pid() + ")")) {
            String stdin = Probes.link(Path.of("/proc", String.valueOf(process.pid()), "fd", "0"));
            /* Java's stream to the child hides the lesson: once the child exits, the JDK swaps it for a null stream
             * ("Stream closed"). So we take our own descriptor of the same write end: find which of our
             * descriptors is that pipe, and dup(2) it. */
            Fd writeEnd = new Fd(Libc.POSIX.dup(ourEndOf(stdin)));
            try (writeEnd) {
                if (writeEnd.fd() < 0) {
                    throw new IOException("dup(2) of our end of " + stdin + " failed: " + Errnos.text(Libc.POSIX.errno()));
                }
                Outcome written = Libc.write(writeEnd.fd(), new byte[CRASH_BYTES], CRASH_BYTES);
                if (written.result() != CRASH_BYTES) {
                    throw new IOException("write of " + CRASH_BYTES + " B into the child's stdin: " + written.describe());
                }
                int exit = kill(child.process());
                /* The last read end closed with the process: write(2) now fails with EPIPE (and raises SIGPIPE). */
                return new Crash(stdin, exit, Libc.write(writeEnd.fd(), new byte[1], 1));
            }
        }
    }

    /** Which of this process's descriptors refers to {@code pipe} ("pipe:[inode]"). */
    static int ourEndOf(String pipe) throws IOException {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                if (pipe.startsWith("pipe:") && pipe.equals(Probes.link(fd))) {
                    return Integer.parseInt(fd.getFileName().toString());
                }
            }
        }
        throw new IOException("none of our descriptors in /proc/self/fd is " + pipe);
    }

    @Override
    public Cell survivesCrash(Path dir) throws IOException {
        Crash seen = crashProbe();
        boolean lost = seen.nextWrite().failedWith(Libc.EPIPE);
        return Cell.measured(lost ? "no: lost (EPIPE)" : "unclear: " + seen.nextWrite().describe(),
                "A child process (sleep) had our pipe as stdin (" + seen.childStdin() + ") and never read; we wrote "
                        + CRASH_BYTES + " B, then SIGKILLed it (exit " + ChildProcess.describeExitCode(seen.exitCode())
                        + "). Our next write failed with " + seen.nextWrite().describe() + ": no process holds the read "
                        + "end any more, and the kernel frees the unread bytes when our write end closes.");
    }

    static int kill(Process process) throws IOException {
        Libc.POSIX.kill(process.pid(), Signal.SIGKILL.intValue());
        try {
            if (!process.waitFor(TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new IOException("pid " + process.pid() + " did not die within " + TIMEOUT.toMillis() + " ms of SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for pid " + process.pid(), e);
        }
        return process.exitValue();
    }
    /** Where a child's stdin pipe is in its /proc/&lt;pid&gt;/fd, and which of our descriptors is the same pipe. */
    record Related(long childPid, String childStdin, List<String> oursToo) {
    }

    Related relatedProbe() throws IOException {
        Process process = new ProcessBuilder("sleep", "30").redirectErrorStream(true).start();
        try (ChildProcess child = new ChildProcess(process, "sleep (pid " + process.pid() + ")")) {
            /* /proc/<pid>/fd/<n> is a symbolic link naming what descriptor n refers to; for a pipe it reads
             * "pipe:[inode]", the same inode in every process holding an end. `ls -l /proc/<pid>/fd` shows them. */
            String stdin = Probes.link(Path.of("/proc", String.valueOf(process.pid()), "fd", "0"));
            List<String> ours = new ArrayList<>();
            try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
                for (Path fd : fds) {
                    if (stdin.startsWith("pipe:") && stdin.equals(Probes.link(fd))) {
                        ours.add(fd.getFileName().toString());
                    }
                }
            }
            // `sleep` ignores its stdin closing, so it is ended here rather than waited for.
            kill(child.process());
            return new Related(process.pid(), stdin, ours);
        }
    }

    @Override
    public Cell whoCanConnect(Path dir) throws IOException {
        Related seen = relatedProbe();
        boolean shared = seen.childStdin().startsWith("pipe:") && !seen.oursToo().isEmpty();
        return Cell.measured(shared ? "related processes only (inherited fds)" : "unclear",
                "A child started with a pipe as stdin: /proc/" + seen.childPid() + "/fd/0 → " + seen.childStdin()
                        + ", and in this JVM /proc/self/fd/" + String.join(",", seen.oursToo()) + " → the same pipe. "
                        + "The child got its end by inheriting it across fork(2); the pipe has no name to open, so "
                        + "only related processes (or one handed the descriptor over a Unix socket) can use it.");
    }

    /** N children, each with its own stdin and stdout pipes: how many distinct pipes, how many intact echoes. */
    record Children(int children, int distinctPipes, int intactEchoes) {
    }

    Children childrenProbe() throws IOException {
        List<ChildProcess> children = new ArrayList<>();
        try {
            Set<String> pipes = new HashSet<>();
            for (int i = 0; i < CHILDREN; i++) {
                Process process = new ProcessBuilder("cat").start();
                children.add(new ChildProcess(process, "cat (pid " + process.pid() + ")"));
                pipes.add(Probes.link(Path.of("/proc", String.valueOf(process.pid()), "fd", "0")));
                pipes.add(Probes.link(Path.of("/proc", String.valueOf(process.pid()), "fd", "1")));
            }
            for (int i = 0; i < CHILDREN; i++) {
                OutputStream in = children.get(i).process().getOutputStream();
                byte[] mine = new byte[CHILD_BYTES];
                Arrays.fill(mine, (byte) i);
                in.write(mine);
                in.close();
            }
            int intact = 0;
            for (int i = 0; i < CHILDREN; i++) {
                byte[] back = readBounded(children.get(i).process().getInputStream(), CHILD_BYTES);
                if (back.length == CHILD_BYTES && Probes.uniform(back) && back[0] == (byte) i) {
                    intact++;
                }
            }
            pipes.remove("?");
            return new Children(CHILDREN, pipes.size(), intact);
        } finally {
            Closer.closeAll(children.toArray(new AutoCloseable[0]));
        }
    }

    /** Reads up to {@code bytes} from a child's stdout, waiting at most {@link #TIMEOUT}: never blocks forever. */
    static byte[] readBounded(InputStream in, int bytes) throws IOException {
        byte[] into = new byte[bytes];
        int got = 0;
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (got < bytes && System.nanoTime() < deadline) {
            if (in.available() > 0) {
                int n = in.read(into, got, Math.min(in.available(), bytes - got));
                if (n < 0) {
                    break;
                }
                got += n;
            } else {
                Libc.pause();
            }
        }
        return Arrays.copyOf(into, got);
    }

    @Override
    public Cell manyClients(Path dir) throws IOException {
        Children seen = childrenProbe();
        return Cell.measured("a pipe pair per child (" + seen.children() + " children, " + seen.distinctPipes() + " pipes)",
                seen.children() + " cat children each got their own stdin and stdout pipe (" + seen.distinctPipes()
                        + " distinct pipe inodes in /proc/<pid>/fd) and " + seen.intactEchoes() + " of " + seen.children()
                        + " echoed exactly their own " + CHILD_BYTES + " B. A pipe cannot tell writers apart, so a "
                        + "server for many clients needs a pipe pair per client, each client a process it started.");
    }
}

package org.ipclab.pipe;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Descriptors of our own for a child's pipes: the write end of its stdin and the read end of its stdout. Java keeps
 * a Process's descriptors inside its streams, whose reads and writes of a byte array go through a native copy (for
 * more than 8 KiB a malloc'd one, per call); with descriptors, read(2) and write(2) take a direct buffer's memory as
 * it is, as a C program passes its own buffer.
 *
 * <p>They are found the way you would find them by hand: the child's fd 0 and fd 1 are links to "pipe:[inode]" in
 * /proc/PID/fd, and the descriptors of ours that link to the same inodes are the other ends ({@code ls -l
 * /proc/<pid>/fd /proc/<child pid>/fd} shows both). Each is copied with fcntl(2) F_DUPFD_CLOEXEC, so it is ours
 * to close, and the JDK's stdout stream is closed at once: when the child exits, the JDK's process reaper would
 * otherwise read what is left in that pipe into memory (bytes our reads are waiting for) and close its end.
 * The child sees end of file on its stdin only when every write end is closed: {@link #closeToChild} and the
 * Process's own stream.
 */
final class PipeEnds {

    private final AtomicInteger toChild;
    private final AtomicInteger fromChild;

    private PipeEnds(int toChild, int fromChild) {
        this.toChild = new AtomicInteger(toChild);
        this.fromChild = new AtomicInteger(fromChild);
    }

    /** Our own ends of {@code child}'s stdin and stdout pipes, or null where /proc does not tell (use its streams). */
    static PipeEnds take(Process child) {
        int[] found;
        String stdin;
        String stdout;
        try {
            stdin = link(Path.of("/proc", String.valueOf(child.pid()), "fd", "0"));
            stdout = link(Path.of("/proc", String.valueOf(child.pid()), "fd", "1"));
            if (!stdin.startsWith("pipe:") || !stdout.startsWith("pipe:") || stdin.equals(stdout)) {
                return null;
            }
            found = find(stdin, stdout);
        } catch (IOException | RuntimeException e) {
            return null;   // no /proc, or the child has exited already: its streams still tell what happened
        }
        if (found == null) {
            return null;
        }
        int toChild = Posix.libc().fcntl(found[0], Posix.F_DUPFD_CLOEXEC, 0);
        int fromChild = Posix.libc().fcntl(found[1], Posix.F_DUPFD_CLOEXEC, 0);
        PipeEnds ends = new PipeEnds(toChild, fromChild);
        try {
            // the copies must be of the very pipes (a number freed and reused meanwhile would not be)
            if (toChild < 0 || fromChild < 0 || !link(fd(toChild)).equals(stdin) || !link(fd(fromChild)).equals(stdout)) {
                ends.close();
                return null;
            }
            child.getInputStream().close();   // the JDK's copy: its reaper will not drain the pipe now
        } catch (IOException e) {
            ends.close();
            return null;
        }
        return ends;
    }

    private static int[] find(String stdin, String stdout) throws IOException {
        int toChild = -1;
        int fromChild = -1;
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path fd : fds) {
                String target;
                try {
                    target = link(fd);
                } catch (IOException closedMeanwhile) {
                    continue;   // another thread's descriptor, closed while we looked
                }
                int number = Integer.parseInt(fd.getFileName().toString());
                if (target.equals(stdin)) {
                    toChild = toChild == -1 ? number : -2;   // -2: more than one, so not sure which
                } else if (target.equals(stdout)) {
                    fromChild = fromChild == -1 ? number : -2;
                }
            }
        }
        return toChild >= 0 && fromChild >= 0 ? new int[] {toChild, fromChild} : null;
    }

    private static Path fd(int number) {
        return Path.of("/proc/self/fd", String.valueOf(number));
    }

    private static String link(Path path) throws IOException {
        return Files.readSymbolicLink(path).toString();
    }

    /** The write end of the child's stdin, -1 once closed. */
    int toChild() {
        return toChild.get();
    }

    /** The read end of the child's stdout, -1 once closed. */
    int fromChild() {
        return fromChild.get();
    }

    void closeToChild() {
        Posix.closeQuietly(toChild.getAndSet(-1));
    }

    /** A child still writing then gets EPIPE (SIGPIPE): nobody holds a read end of its stdout any more. */
    void closeFromChild() {
        Posix.closeQuietly(fromChild.getAndSet(-1));
    }

    void close() {
        closeFromChild();
        closeToChild();
    }
}

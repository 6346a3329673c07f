package org.ipclab.comparison.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

import org.ipclab.core.ProcFiles;

/**
 * CPU time processes have used, read from /proc (man 5 proc), in nanoseconds. Two sources, for two questions:
 * <ul>
 *   <li>{@link #ofProcess}: the sum over a process's threads of the first field of
 *       {@code /proc/<pid>/task/<tid>/schedstat} — time on a CPU, user and kernel, as the scheduler counts it, to
 *       the nanosecond. For our own client and echo peer. Threads that already exited are not counted.</li>
 *   <li>{@link #withReapedChildren}: {@code utime + stime + cutime + cstime} of {@code /proc/<pid>/stat}, in clock
 *       ticks of 10 ms — coarse, but it includes children the process has waited for (a build tool's compilers).
 *       For other processes on the machine, whose threads come and go.</li>
 * </ul>
 * {@link Tally} adds up the client's and the server's CPU time over the measured iterations of a benchmark.
 */
public final class CpuTime {

    /** USER_HZ: the unit of /proc/[pid]/stat's times on Linux (sysconf(_SC_CLK_TCK)). */
    static final long TICKS_PER_SECOND = 100;
    private static final long NS_PER_TICK = 1_000_000_000L / TICKS_PER_SECOND;

    private CpuTime() {
    }

    /** The CPU time of every thread of {@code pid} now alive, from schedstat; -1 when the process is gone. */
    public static long ofProcess(long pid) {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : tasks) {
                try {
                    String stat = ProcFiles.read(task.resolve("schedstat")).trim();
                    total += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
                } catch (IOException | RuntimeException ignored) {
                    // the thread exited between listing and reading: its time is gone with it
                }
            }
        } catch (IOException e) {
            return -1;
        }
        return total;
    }

    /** This JVM plus nothing else. */
    public static long ofSelf() {
        return ofProcess(ProcessHandle.current().pid());
    }

    /** Every process this JVM started (echo servers, pipe children), summed. */
    public static long ofDescendants() {
        return ProcessHandle.current().descendants().mapToLong(p -> Math.max(0, ofProcess(p.pid()))).sum();
    }

    /**
     * The CPU time of {@code procDir} ({@code /proc/<pid>}) and of the children it has reaped, from its stat file, in
     * ns at 10 ms resolution; empty when the process exited while we looked.
     */
    static OptionalLong withReapedChildren(Path procDir) {
        try {
            String stat = ProcFiles.read(procDir.resolve("stat"));
            // the fields after the command name, which is in parentheses and may contain spaces
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12])      // utime, stime
                    + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);       // cutime, cstime
            return OptionalLong.of(ticks * NS_PER_TICK);
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }

    /**
     * The client's (this JVM's) and the server's (our descendants') CPU time and the wall time, summed over the
     * spans between {@link #start} and {@link #stop}: a benchmark's measured iterations, not its warm-up.
     */
    public static final class Tally {
        private long clientNs;
        private long serverNs;
        private long wallNs;
        private long clientAtStart;
        private long serverAtStart;
        private long wallAtStart;

        public void start() {
            clientAtStart = ofSelf();
            serverAtStart = ofDescendants();
            wallAtStart = System.nanoTime();
        }

        public void stop() {
            wallNs += System.nanoTime() - wallAtStart;
            clientNs += ofSelf() - clientAtStart;
            serverNs += ofDescendants() - serverAtStart;
        }

        public long clientNs() {
            return clientNs;
        }

        public long serverNs() {
            return serverNs;
        }

        public long wallNs() {
            return wallNs;
        }
    }
}

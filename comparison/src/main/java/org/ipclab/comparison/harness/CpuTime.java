package org.ipclab.comparison.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ipclab.core.ProcFiles;

/**
 * CPU time a process has used, in nanoseconds: the sum over its threads of the first field of
 * {@code /proc/<pid>/task/<tid>/schedstat} (time on a CPU, user and kernel, as the scheduler counts it).
 * Finer than /proc/<pid>/stat's clock ticks (10 ms). Threads that already exited are not counted.
 */
public final class CpuTime {

    private CpuTime() {
    }

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
}

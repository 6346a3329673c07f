package org.ipclab.comparison.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.report.model.Results.Placement;

/**
 * Pins the client (this JVM) and the echo peer (our child processes) to CPUs with taskset(1), which calls
 * sched_setaffinity(2) for every thread of a process ({@code -a}). Threads created later inherit the mask
 * of the thread that creates them.
 *
 * <p>Why it matters on these VMs: an idle vCPU halts at once, and waking a process that sleeps on another
 * vCPU costs tens of microseconds. When client and server share one CPU, a blocking round trip is a
 * context switch on a CPU that is already awake. Watch it: {@code taskset -p <pid>}, {@code ps -o psr -L -p <pid>}.
 */
public final class CpuPlacement {

    public static final int CLIENT_CPU = 0;
    public static final int OTHER_CPU = 1;

    /** The CPUs this JVM was allowed to use when it started, e.g. "0-1", before any pinning. */
    private static final String ORIGINAL_CPUS = originalCpus();

    private CpuPlacement() {
    }

    /**
     * The number of CPUs online, whatever this process is pinned to ({@code availableProcessors()} counts
     * only the CPUs in our affinity mask, so it says 1 while we are pinned).
     */
    public static int onlineCpus() {
        String online = org.ipclab.core.ProcFiles.readIfPresent(Path.of("/sys/devices/system/cpu/online")).orElse("");
        int count = 0;
        for (String range : online.split(",")) {
            String[] ends = range.trim().split("-");
            try {
                count += ends.length == 2 ? Integer.parseInt(ends[1]) - Integer.parseInt(ends[0]) + 1
                        : Integer.parseInt(ends[0]) >= 0 ? 1 : 0;
            } catch (NumberFormatException e) {
                return Runtime.getRuntime().availableProcessors();
            }
        }
        return count > 0 ? count : Runtime.getRuntime().availableProcessors();
    }

    private static String originalCpus() {
        return org.ipclab.core.ProcFiles.readIfPresent(Path.of("/proc/self/status")).flatMap(status -> status.lines()
                .filter(l -> l.startsWith("Cpus_allowed_list:"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst()).orElse("0-" + (Runtime.getRuntime().availableProcessors() - 1));
    }

    public static boolean tasksetAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "taskset"))) {
                return true;
            }
        }
        return false;
    }

    /** Why a placement cannot be measured here, or null when it can. */
    public static String unavailableReason(Placement placement) {
        if (placement == Placement.UNPINNED) {
            return null;
        }
        if (!tasksetAvailable()) {
            return "taskset is not installed (package util-linux)";
        }
        if (placement == Placement.DIFFERENT_CPUS && onlineCpus() < 2) {
            return "this machine has one CPU";
        }
        return null;
    }

    public static int serverCpu(Placement placement) {
        return placement == Placement.SAME_CPU ? CLIENT_CPU : OTHER_CPU;
    }

    /** Pins this JVM to the client CPU and every process it started to the server CPU. */
    public static void apply(Placement placement) throws IOException {
        if (placement == Placement.UNPINNED && !tasksetAvailable()) {
            return;
        }
        if (placement == Placement.UNPINNED) {
            pin(ProcessHandle.current().pid(), ORIGINAL_CPUS);
            for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
                pin(child.pid(), ORIGINAL_CPUS);
            }
            return;
        }
        pin(ProcessHandle.current().pid(), String.valueOf(CLIENT_CPU));
        String serverCpu = String.valueOf(serverCpu(placement));
        for (ProcessHandle child : ProcessHandle.current().descendants().toList()) {
            pin(child.pid(), serverCpu);
        }
    }

    /** Lets this JVM run on the CPUs it started with again (best effort: the next measurement pins anew). */
    public static void release() {
        if (tasksetAvailable()) {
            try {
                pin(ProcessHandle.current().pid(), ORIGINAL_CPUS);
            } catch (IOException ignored) {
                // every measurement pins client and server itself before it starts; a failed release only
                // leaves this JVM on the client CPU until then
            }
        }
    }

    /**
     * taskset -a walks the process's threads one by one; a thread that exits during the walk makes it fail
     * (exit code 1) although every live thread was pinned. A JVM starts and ends threads all the time (JIT,
     * GC helpers), so try again a few times before calling it a failure.
     */
    static void pin(long pid, String cpus) throws IOException {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            try {
                pinOnce(pid, cpus);
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private static void pinOnce(long pid, String cpus) throws IOException {
        Process taskset = new ProcessBuilder(List.of("taskset", "-a", "-p", "-c", cpus, String.valueOf(pid)))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!taskset.waitFor(5, TimeUnit.SECONDS)) {
                taskset.destroyForcibly();
                throw new IOException("taskset did not finish within 5 s");
            }
            if (taskset.exitValue() != 0 && ProcessHandle.of(pid).isPresent()) {
                throw new IOException("taskset -a -p -c " + cpus + " " + pid + " failed with exit code " + taskset.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pinning", e);
        }
    }
}

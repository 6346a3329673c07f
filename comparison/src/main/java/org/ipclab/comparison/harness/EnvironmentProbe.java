package org.ipclab.comparison.harness;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ipclab.core.ProcFiles;
import org.ipclab.report.model.Results.Environment;

/**
 * Reads the machine and the settings that change IPC numbers, and watches what else uses the CPUs while
 * the comparison runs (this kind of machine is shared: numbers mean little without the load beside them).
 */
public final class EnvironmentProbe {

    private final double loadBefore;
    private final Map<Long, Long> cpuNsBefore;
    private final long startedNs = System.nanoTime();

    private EnvironmentProbe(double loadBefore, Map<Long, Long> cpuNsBefore) {
        this.loadBefore = loadBefore;
        this.cpuNsBefore = cpuNsBefore;
    }

    public static EnvironmentProbe start() {
        return new EnvironmentProbe(loadAverage(), processCpuNs());
    }

    public Environment finish() {
        return new Environment(facts(), loadBefore, loadAverage(), otherBusyProcesses());
    }

    /** The facts table: name → value, in the order the report shows them. */
    public static Map<String, String> facts() {
        Map<String, String> facts = new LinkedHashMap<>();
        osRelease().ifPresent(v -> facts.put("os", v));
        facts.put("kernel", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        cpuModel().ifPresent(v -> facts.put("cpu.model", v));
        facts.put("cpus", String.valueOf(CpuPlacement.onlineCpus()));
        memTotal().ifPresent(v -> facts.put("memory", v));
        facts.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        put(facts, "clocksource", "/sys/devices/system/clocksource/clocksource0/current_clocksource");
        put(facts, "cpuidle.driver", "/sys/devices/system/cpu/cpuidle/current_driver");
        put(facts, "cpuidle.governor", "/sys/devices/system/cpu/cpuidle/current_governor_ro");
        put(facts, "haltpoll.guest_halt_poll_ns", "/sys/module/haltpoll/parameters/guest_halt_poll_ns");
        put(facts, "fs.pipe-max-size", "/proc/sys/fs/pipe-max-size");
        put(facts, "net.core.somaxconn", "/proc/sys/net/core/somaxconn");
        put(facts, "net.core.rmem_default", "/proc/sys/net/core/rmem_default");
        put(facts, "net.core.wmem_default", "/proc/sys/net/core/wmem_default");
        put(facts, "net.ipv4.tcp_rmem", "/proc/sys/net/ipv4/tcp_rmem");
        put(facts, "net.ipv4.tcp_wmem", "/proc/sys/net/ipv4/tcp_wmem");
        put(facts, "net.unix.max_dgram_qlen", "/proc/sys/net/unix/max_dgram_qlen");
        put(facts, "fs.mqueue.msg_max", "/proc/sys/fs/mqueue/msg_max");
        put(facts, "fs.mqueue.msgsize_max", "/proc/sys/fs/mqueue/msgsize_max");
        put(facts, "fs.mqueue.queues_max", "/proc/sys/fs/mqueue/queues_max");
        return facts;
    }

    private static void put(Map<String, String> facts, String name, String path) {
        ProcFiles.readIfPresent(Path.of(path)).filter(v -> !v.isEmpty())
                .ifPresent(v -> facts.put(name, v.replaceAll("\\s+", " ")));
    }

    static Optional<String> osRelease() {
        return ProcFiles.readIfPresent(Path.of("/etc/os-release")).flatMap(text -> text.lines()
                .filter(l -> l.startsWith("PRETTY_NAME="))
                .map(l -> l.substring("PRETTY_NAME=".length()).replace("\"", ""))
                .findFirst());
    }

    static Optional<String> cpuModel() {
        return ProcFiles.readIfPresent(Path.of("/proc/cpuinfo")).flatMap(text -> text.lines()
                .filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim())
                .findFirst());
    }

    static Optional<String> memTotal() {
        return ProcFiles.readIfPresent(Path.of("/proc/meminfo")).flatMap(text -> text.lines()
                .filter(l -> l.startsWith("MemTotal:"))
                .map(l -> {
                    long kib = Long.parseLong(l.replaceAll("\\D+", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
                })
                .findFirst());
    }

    /** The 1-minute load average: runnable + uninterruptible tasks, averaged. */
    public static double loadAverage() {
        return ProcFiles.readIfPresent(Path.of("/proc/loadavg"))
                .map(text -> Double.parseDouble(text.split("\\s+")[0]))
                .orElse(Double.NaN);
    }

    /** Processes outside our own tree that used more than 2% of one CPU since {@link #start()}. */
    private List<String> otherBusyProcesses() {
        double seconds = (System.nanoTime() - startedNs) / 1e9;
        Map<Long, Long> now = processCpuNs();
        Set<Long> ours = new HashSet<>();
        ours.add(ProcessHandle.current().pid());
        ProcessHandle.current().descendants().forEach(p -> ours.add(p.pid()));
        List<long[]> busy = new ArrayList<>();
        Map<Long, String> names = new HashMap<>();
        for (Map.Entry<Long, Long> entry : now.entrySet()) {
            long pid = entry.getKey();
            Long before = cpuNsBefore.get(pid);
            if (ours.contains(pid) || before == null) {
                continue;
            }
            long used = entry.getValue() - before;
            if (used > seconds * 1e9 * 0.02) {
                busy.add(new long[] {pid, used});
                names.put(pid, comm(pid));
            }
        }
        busy.sort((a, b) -> Long.compare(b[1], a[1]));
        List<String> lines = new ArrayList<>();
        for (long[] p : busy.subList(0, Math.min(8, busy.size()))) {
            lines.add(String.format(Locale.ROOT, "%s (pid %d): %.1f CPU-seconds during the run (%.0f%% of one CPU)",
                    names.get(p[0]), p[0], p[1] / 1e9, 100.0 * p[1] / 1e9 / seconds));
        }
        return lines;
    }

    private static String comm(long pid) {
        return ProcFiles.readIfPresent(Path.of("/proc", String.valueOf(pid), "comm")).orElse("?");
    }

    /** pid → CPU time in ns (its own and its reaped children's), for every process in /proc. */
    static Map<Long, Long> processCpuNs() {
        Map<Long, Long> cpu = new HashMap<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path proc : procs) {
                long pid = Long.parseLong(proc.getFileName().toString());
                // a process that exited while we listed /proc has no entry
                CpuTime.withReapedChildren(proc).ifPresent(ns -> cpu.put(pid, ns));
            }
        } catch (IOException ignored) {
            // no /proc: nothing to report
        }
        return cpu;
    }
}

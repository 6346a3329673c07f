package org.ipclab.comparison.backlog;

import java.nio.file.Path;
import java.util.OptionalLong;

import org.ipclab.core.ProcFiles;
import org.ipclab.report.backlog.KernelSettings;

/** Reads the sysctls that matter for the backlog, in this process's network namespace (see sysctl(8)). */
final class Sysctls {

    private Sysctls() {
    }

    static KernelSettings read() {
        return new KernelSettings(
                value("net/core/somaxconn"),
                value("net/ipv4/tcp_max_syn_backlog"),
                value("net/ipv4/tcp_abort_on_overflow"),
                value("net/ipv4/tcp_syncookies"),
                value("net/ipv4/tcp_syn_retries"),
                value("net/ipv4/tcp_synack_retries"),
                value("net/ipv4/tcp_syn_linear_timeouts"));
    }

    static String kernelRelease() {
        return ProcFiles.readIfPresent(Path.of("/proc/sys/kernel/osrelease")).orElse(System.getProperty("os.version"));
    }

    /** The 1-minute load average (/proc/loadavg), or null. */
    static Double loadAverage() {
        try {
            return Double.parseDouble(ProcFiles.readIfPresent(Path.of("/proc/loadavg")).orElse("").split("\\s+")[0]);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Integer value(String name) {
        OptionalLong value = ProcFiles.readLong(Path.of("/proc/sys", name));
        return value.isPresent() ? (int) value.getAsLong() : null;
    }
}

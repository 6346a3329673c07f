package org.ipclab.shm;

import java.util.Optional;

/**
 * A process that holds a segment (the server that made it, or a slot's client): its pid and start time, so that a
 * pid the kernel has since given to another process is not taken for it. Watch it: {@code ps -o pid,lstart -p PID}.
 */
record ShmOwner(long pid, long startMillis) {

    boolean alive() {
        return alive(pid, startMillis);
    }

    static long startMillis(ProcessHandle process) {
        return process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
    }

    /** Whether the process runs and is the one that started at {@code startMillis} (0: not recorded). */
    static boolean alive(long pid, long startMillis) {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return false;
        }
        long started = startMillis(process.get());
        return startMillis == 0 || started == 0 || started == startMillis;
    }
}

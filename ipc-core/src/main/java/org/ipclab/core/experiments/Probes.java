package org.ipclab.core.experiments;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ipclab.core.ProcFiles;

/** Small looks at the kernel's state that experiments of several transports quote in their evidence. */
public final class Probes {

    private Probes() {
    }

    /** A kernel setting from /proc/sys (what `sysctl` prints), e.g. "fs/pipe-max-size"; "?" when absent. */
    public static String sysctl(String name) {
        return ProcFiles.readIfPresent(Path.of("/proc/sys", name)).map(v -> v.replaceAll("\\s+", " ")).orElse("?");
    }

    /**
     * Where a /proc symbolic link points, e.g. /proc/self/fd/5 -> "pipe:[123]" (the kind and inode of what a
     * descriptor refers to, as `ls -l /proc/PID/fd` shows); "?" when it cannot be read.
     */
    public static String link(Path path) {
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException e) {
            return "?";
        }
    }

    /** True when every byte equals the first (one client's payload arrived unmixed with another's). */
    public static boolean uniform(byte[] bytes) {
        for (byte b : bytes) {
            if (b != bytes[0]) {
                return false;
            }
        }
        return bytes.length > 0;
    }
}

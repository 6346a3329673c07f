package org.ipclab.socket;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.ipclab.core.ProcFiles;

/** What becomes of a listen(2) backlog on its way to the kernel. */
public final class Backlog {

    /** java.net turns a backlog below 1 into this (ServerSocket and ServerSocketChannel javadoc). */
    public static final int JAVA_DEFAULT = 50;

    private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");

    private Backlog() {
    }

    /** net.core.somaxconn, the kernel's cap on every listen backlog, if this system exposes it. */
    public static OptionalInt somaxconn() {
        OptionalLong value = ProcFiles.readLong(SOMAXCONN);
        return value.isPresent() ? OptionalInt.of((int) value.getAsLong()) : OptionalInt.empty();
    }

    /** The backlog Java passes to listen(2) for a requested value. */
    public static int passedByJava(int requested) {
        return requested < 1 ? JAVA_DEFAULT : requested;
    }

    /** The backlog the kernel applies: Java's value, clamped to somaxconn. */
    public static int effective(int requested) {
        int passed = passedByJava(requested);
        OptionalInt cap = somaxconn();
        return cap.isPresent() ? Math.min(passed, cap.getAsInt()) : passed;
    }

    /** e.g. "backlog 128 requested, the kernel applies 128 (net.core.somaxconn = 4096)". */
    public static String describe(int requested) {
        int passed = passedByJava(requested);
        StringBuilder text = new StringBuilder("backlog ").append(requested).append(" requested");
        if (requested < 1) {
            text.append(", Java passes ").append(JAVA_DEFAULT);
        }
        OptionalInt cap = somaxconn();
        if (cap.isPresent()) {
            text.append(", the kernel applies ").append(Math.min(passed, cap.getAsInt()))
                    .append(" (net.core.somaxconn = ").append(cap.getAsInt()).append(')');
        }
        return text.toString();
    }
}

package org.ipclab.pipe;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Time to first echo of a pipe client: from {@code ProcessBuilder.start()} to the first byte back, for each
 * echo child named on the command line (default: ipc-lab's JVM child and {@code cat}). Runs alternate
 * between the children so that background load hits them alike. A sanity figure, not a benchmark.
 *
 * <p>Run: {@code java -cp comparison/target/ipc-lab.jar org.ipclab.pipe.FirstEchoMain [runs] [child ...]}.
 */
public final class FirstEchoMain {

    private FirstEchoMain() {
    }

    /** Nanoseconds from starting the child to its first echoed byte. */
    static long timeToFirstEchoNs(ChildCommand command) throws Exception {
        byte[] probe = {42};
        byte[] back = new byte[1];
        long start = System.nanoTime();
        try (PipeEchoClient client = PipeEchoClient.start(command, Duration.ofSeconds(30))) {
            client.roundTrip(probe, back, 1);
            long elapsed = System.nanoTime() - start;
            if (back[0] != 42) {
                throw new IllegalStateException(command.describe() + " echoed " + back[0] + " instead of 42");
            }
            return elapsed;
        }
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        List<ChildCommand> children = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            children.add(ChildCommand.parse(args[i]));
        }
        if (children.isEmpty()) {
            children.add(ChildCommand.parse(ChildCommand.JVM));
            children.add(ChildCommand.parse("cat"));
        }
        for (ChildCommand child : children) {
            child.checkRunnable();
            timeToFirstEchoNs(child);   // once untimed: page cache, class loading in this JVM
        }
        long[][] ns = new long[children.size()][runs];
        for (int r = 0; r < runs; r++) {
            for (int c = 0; c < children.size(); c++) {
                ns[c][r] = timeToFirstEchoNs(children.get(c));
            }
        }
        System.out.printf(Locale.ROOT, "Time to first echo over %d runs (%d CPUs, load average %s):%n", runs,
                Runtime.getRuntime().availableProcessors(), loadAverage());
        for (int c = 0; c < children.size(); c++) {
            long[] sorted = ns[c].clone();
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT, "  %-26s median %7.1f ms   min %7.1f ms   max %7.1f ms%n",
                    children.get(c).describe(), sorted[runs / 2] / 1e6, sorted[0] / 1e6, sorted[runs - 1] / 1e6);
        }
        if (children.get(0).jvmChild()) {
            System.out.println("  JVM child flags: " + String.join(" ", ChildCommand.JVM_CHILD_FLAGS));
        }
    }

    private static String loadAverage() {
        return org.ipclab.core.ProcFiles.readIfPresent(java.nio.file.Path.of("/proc/loadavg"))
                .map(text -> String.join(" ", Arrays.copyOf(text.split("\\s+"), 3)))
                .orElse("unknown");
    }
}

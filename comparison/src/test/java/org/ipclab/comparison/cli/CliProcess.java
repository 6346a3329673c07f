package org.ipclab.comparison.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.JvmFlags;

/**
 * {@code ./ipc-lab ARGS} in a JVM of its own, as a second terminal would run it, with its output (stdout and
 * stderr) read line by line on a thread of its own. Every wait for a line is bounded.
 */
final class CliProcess implements AutoCloseable {

    private static final String EOF = "\u0000EOF";

    private final ChildProcess child;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    private CliProcess(Process process, String name) {
        this.child = new ChildProcess(process, name);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    lines.add(line);
                }
            } catch (IOException e) {
                lines.add("(reading the output failed: " + e + ")");
            }
            lines.add(EOF);
        }, name + " stdout");
        reader.setDaemon(true);
        reader.start();
    }

    static CliProcess start(String... args) throws IOException {
        return start(List.of(), args);
    }

    /** {@link #start(String...)} with JVM options, e.g. {@code -Djava.io.tmpdir=DIR}. */
    static CliProcess start(List<String> jvmOptions, String... args) throws IOException {
        Process process = new ProcessBuilder(JvmFlags.javaCommand(jvmOptions, "org.ipclab.comparison.IpcLabMain", List.of(args)))
                .redirectErrorStream(true).start();
        return new CliProcess(process, "ipc-lab " + String.join(" ", args));
    }

    ChildProcess child() {
        return child;
    }

    /** The next line printed, or null at the end of the output (bounded: 20 s). */
    String readLine() throws InterruptedException {
        String line = lines.poll(20, TimeUnit.SECONDS);
        return line == null || line.equals(EOF) ? null : line;
    }

    /** Reads up to and including the first line that contains {@code text}; fails at the end of the output. */
    String awaitLine(String text) throws InterruptedException {
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = readLine()) != null) {
            seen.append(line).append('\n');
            if (line.contains(text)) {
                return line;
            }
        }
        throw new AssertionError("the process never printed '" + text + "'; it printed:\n" + seen);
    }

    /** SIGTERM through ProcessHandle: Process.destroy would also close our end of its stdout and lose its last lines. */
    void terminate() {
        child.process().toHandle().destroy();
    }

    @Override
    public void close() throws IOException {
        child.close();
    }
}

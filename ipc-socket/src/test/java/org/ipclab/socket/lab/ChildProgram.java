package org.ipclab.socket.lab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A program of the lab (Java or Python) in a process of its own, its stdout and stderr read line by line as it
 * prints them. Closing it stops the process: SIGTERM, then SIGKILL; nothing outlives the test.
 */
public final class ChildProgram implements AutoCloseable {

    private final Process process;
    private final String name;
    private final List<String> lines = new ArrayList<>();
    private final Thread pump;

    private ChildProgram(Process process, String name) {
        this.process = process;
        this.name = name;
        this.pump = new Thread(this::pump, "output of " + name);
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts {@code command} in {@code dir}, stdin from /dev/null, stderr merged into stdout. */
    public static ChildProgram start(List<String> command, Path dir) throws IOException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new ChildProgram(process, String.join(" ", command));
    }

    /** Waits until a printed line matches; returns it, or fails saying what the program printed instead. */
    public String awaitLine(Predicate<String> wanted, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (true) {
                for (String line : lines) {
                    if (wanted.test(line)) {
                        return line;
                    }
                }
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0 || (!process.isAlive() && !pump.isAlive())) {
                    throw new IOException(name + " did not print the expected line within " + timeout.toMillis()
                            + " ms; alive: " + process.isAlive() + "; it printed: " + lines);
                }
                lines.wait(Math.min(leftMs, 50));
            }
        }
    }

    /** Waits until the program printed at least {@code count} lines; returns them. */
    public List<String> awaitLines(int count, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.size() < count) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0 || (!process.isAlive() && !pump.isAlive())) {
                    throw new IOException(name + " printed " + lines.size() + " lines, not " + count + ", within "
                            + timeout.toMillis() + " ms: " + lines);
                }
                lines.wait(Math.min(leftMs, 50));
            }
            return List.copyOf(lines);
        }
    }

    /** Waits for the process to end by itself and for its last line; returns the exit code. */
    public int awaitExit(Duration timeout) throws IOException, InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IOException(name + " did not exit within " + timeout.toMillis() + " ms; it printed: " + lines());
        }
        pump.join(timeout.toMillis());
        return process.exitValue();
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private void pump() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the stream ends when the process dies; what it printed so far is kept
        }
        synchronized (lines) {
            lines.notifyAll();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(3, TimeUnit.SECONDS);
            }
        }
        pump.join(1_000);
    }
}

package org.ipclab.comparison.lab;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.ipclab.core.ChildProcess;

/**
 * One of the lab's programs in a process of its own, every line it prints kept as it comes (stdout and stderr
 * through one pipe, so an exception's message lands among the lines). Closing it stops the process: SIGTERM,
 * then SIGKILL ({@link ChildProcess}).
 */
final class PrintingChild implements AutoCloseable {

    private final ChildProcess child;
    private final List<String> lines = new ArrayList<>();
    private final Thread pump;
    private final long startedNs = System.nanoTime();

    private PrintingChild(ChildProcess child) {
        this.child = child;
        this.pump = new Thread(this::pump, "output of " + child.name());
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * fork(2) + execve(2) of {@code command}; stdin is /dev/null (the lab's programs read none), stdout and stderr
     * are one pipe to us. Watch it: {@code strace -f -e trace=execve}, {@code ls -l /proc/<pid>/fd}.
     */
    static PrintingChild start(String name, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        return new PrintingChild(new ChildProcess(process, name + " (pid " + process.pid() + ")", Duration.ofSeconds(1)));
    }

    String name() {
        return child.name();
    }

    boolean isAlive() {
        return child.process().isAlive();
    }

    double millisSinceStart() {
        return (System.nanoTime() - startedNs) / 1e6;
    }

    /** Waits at most {@code timeout} for a printed line that matches; false when none came. */
    boolean awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.stream().noneMatch(wanted)) {
                long leftMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (leftMs <= 0 || !pump.isAlive()) {
                    return false;
                }
                lines.wait(Math.min(leftMs, 50));
            }
            return true;
        }
    }

    /** Waits at most {@code timeout} for the process to end by itself and for its last line; false if it did not. */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        if (!child.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            return false;
        }
        pump.join(timeout.toMillis());
        return true;
    }

    /**
     * kill(2) with SIGTERM, what {@code kill PID} sends (Ctrl-C in a terminal sends SIGINT): the JVM runs its
     * shutdown hooks and exits with 143 (128 + 15). Returns the exit code, or null if it is still running after {@code timeout}.
     */
    Integer terminate(Duration timeout) throws InterruptedException {
        Process process = child.process();
        if (process.isAlive()) {
            process.destroy();
            process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        pump.join(timeout.toMillis());
        return process.isAlive() ? null : process.exitValue();
    }

    /** The exit code once it has ended, else null. */
    Integer exitCode() {
        return child.process().isAlive() ? null : child.process().exitValue();
    }

    List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    private void pump() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.process().getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException ignored) {
            // the pipe closes when the process ends or we close it; the lines read so far are kept
        }
        synchronized (lines) {
            lines.notifyAll();
        }
    }

    @Override
    public void close() throws IOException {
        child.close();
    }
}

package org.ipclab.core;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Process} that is {@link AutoCloseable} (Process is not, before JDK 26): closing it closes the
 * child's stdin, waits for it to exit within a bound, then sends SIGTERM, then SIGKILL. A child never
 * outlives the object that started it.
 */
public final class ChildProcess implements AutoCloseable {

    public static final Duration DEFAULT_EXIT_WAIT = Duration.ofSeconds(2);

    private final Process process;
    private final String name;
    private final Duration exitWait;
    private boolean closed;

    public ChildProcess(Process process, String name, Duration exitWait) {
        this.process = process;
        this.name = name;
        this.exitWait = exitWait;
    }

    public ChildProcess(Process process, String name) {
        this(process, name, DEFAULT_EXIT_WAIT);
    }

    public Process process() {
        return process;
    }

    public long pid() {
        return process.pid();
    }

    public String name() {
        return name;
    }

    /** "exited with code 3", or "exited with code 137 (killed by SIGKILL)", or "is still running". */
    public String describeExit() {
        if (process.isAlive()) {
            return name + " is still running";
        }
        return name + " exited with " + describeExitCode(process.exitValue());
    }

    /** A shell-style exit code (128 + n means killed by signal n) in words. */
    public static String describeExitCode(int code) {
        if (code > 128 && code < 128 + 32) {
            return "code " + code + " (killed by " + signalName(code - 128) + ")";
        }
        return "code " + code;
    }

    static String signalName(int signal) {
        return switch (signal) {
            case 1 -> "SIGHUP";
            case 2 -> "SIGINT";
            case 3 -> "SIGQUIT";
            case 6 -> "SIGABRT";
            case 9 -> "SIGKILL";
            case 11 -> "SIGSEGV";
            case 13 -> "SIGPIPE";
            case 15 -> "SIGTERM";
            default -> "signal " + signal;
        };
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // the child may already be gone; its stdin is closed either way
        }
        try {
            if (!process.waitFor(exitWait.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroy();
                if (!process.waitFor(exitWait.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(exitWait.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            Closer.closeQuietly(null, process.getInputStream(), process.getErrorStream());
        }
    }
}

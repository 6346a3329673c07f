package org.ipclab.comparison.nativefloor;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ChildProcess;

/** A child process (the compiler, one run of the C program) waited for within a timeout, killed with its children after it. */
final class BoundedProcess {

    private BoundedProcess() {
    }

    /**
     * Starts a process and waits for it within {@code timeout}. On timeout the process's children (the echo
     * server) are killed first, then the process itself; both are waited for.
     *
     * @return the exit code
     */
    static int run(ProcessBuilder builder, String name, Duration timeout) throws IOException, InterruptedException {
        Process process = builder.start();
        try (ChildProcess child = new ChildProcess(process, name)) {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            killTree(process);
            throw new IOException(name + " did not finish within " + timeout.toSeconds() + " s and was killed");
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
    }

    /**
     * The server first: the client then reads end of stream, reaps it and exits by itself. Killed first,
     * the client would leave its server to init, which may be slow to reap it.
     */
    private static void killTree(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        if (!process.waitFor(1, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            child.onExit().completeOnTimeout(child, 5, TimeUnit.SECONDS).join();
        }
    }

    /** At most {@code max} lines of a compiler's or the program's message, joined for one note. */
    static String firstLines(String text, int max) {
        return String.join(" | ", text.strip().lines().limit(max).toList());
    }
}

package org.ipclab.core.experiments;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jnr.constants.platform.Signal;
import org.ipclab.core.ChildProcess;
import org.ipclab.core.Errnos;
import org.ipclab.core.JvmFlags;

/**
 * A {@link PropertyChildMain} in a JVM of its own, for experiments that need a second process: a server to kill,
 * a reader that starts after the writer is gone, a peer inside another network namespace.
 *
 * <p>The child exits when its stdin reaches end of file, so it never outlives this JVM; {@link #close()} waits for
 * that and kills it if it does not come.
 */
public final class ChildJvm implements AutoCloseable {

    /** Small and quick to start: these children run for well under a second. */
    private static final List<String> CHILD_FLAGS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m");
    public static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final ChildProcess child;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final List<String> transcript = new ArrayList<>();

    private ChildJvm(ChildProcess child) {
        this.child = child;
        Thread pump = new Thread(this::pump, "child-output " + child.pid());
        pump.setDaemon(true);
        pump.start();
    }

    /**
     * Starts {@code prefix... java [flags] PropertyChildMain transport mode args...}; the prefix is empty, or e.g.
     * {@code ip netns exec <ns>} to start the JVM inside a network namespace. The child runs
     * {@code transport}'s {@link TransportExperiments#child} with {@code mode}.
     */
    public static ChildJvm start(List<String> prefix, String transport, String mode, String... args)
            throws IOException {
        List<String> childArgs = new ArrayList<>();
        childArgs.add(transport);
        childArgs.add(mode);
        childArgs.addAll(List.of(args));
        List<String> command = new ArrayList<>(prefix);
        command.addAll(JvmFlags.javaCommand(CHILD_FLAGS, PropertyChildMain.class.getName(), childArgs));
        /* fork(2) + execve(2): a new process with a new JVM; its stdin and stdout are pipes to us. Watch it with
         * `strace -f -e trace=clone,execve,kill`. */
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        return new ChildJvm(new ChildProcess(process, mode + " child (pid " + process.pid() + ")"));
    }

    public static ChildJvm start(String transport, String mode, String... args) throws IOException {
        return start(List.of(), transport, mode, args);
    }

    public long pid() {
        return child.pid();
    }

    public String name() {
        return child.name();
    }

    /** Waits for a line starting with {@code tag} (e.g. "READY ") and returns the rest of it. */
    public String awaitLine(String tag, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                long leftNs = deadline - System.nanoTime();
                String line = leftNs > 0 ? lines.poll(leftNs, TimeUnit.NANOSECONDS) : null;
                if (line == null) {
                    throw new IOException(child.name() + " did not print '" + tag.trim() + "' within "
                            + timeout.toMillis() + " ms; " + child.describeExit() + "; its output: " + transcript());
                }
                if (line.equals(ChildSide.EOF)) {
                    child.process().waitFor(2, TimeUnit.SECONDS);
                    throw new IOException(child.name() + " ended before printing '" + tag.trim() + "': "
                            + child.describeExit() + "; its output: " + transcript());
                }
                if (line.startsWith(tag)) {
                    return line.substring(tag.length()).trim();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + child.name(), e);
        }
    }

    /**
     * kill(2) with SIGKILL: the kernel ends the process at once, without running any of its code (no finally, no
     * shutdown hook), and then closes every descriptor it held, exactly as after a crash. Returns the exit code
     * (137 = 128 + 9). Watch it: `strace -e trace=kill`, or `ls /proc/<pid>` disappearing.
     */
    public int kill(Duration timeout) throws IOException {
        if (Libc.POSIX.kill(child.pid(), Signal.SIGKILL.intValue()) < 0) {
            throw new IOException("kill(" + child.pid() + ", SIGKILL) failed: " + Errnos.text(Libc.POSIX.errno()));
        }
        try {
            if (!child.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(child.name() + " was sent SIGKILL but did not exit within " + timeout.toMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + child.name() + " to die", e);
        }
        return child.process().exitValue();
    }

    /** Waits for the child to exit by itself; returns its exit code. */
    public int awaitExit(Duration timeout) throws IOException {
        try {
            if (!child.process().waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException(child.name() + " did not finish within " + timeout.toMillis() + " ms; its output: "
                        + transcript());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + child.name(), e);
        }
        return child.process().exitValue();
    }

    public String describeExit() {
        return child.describeExit();
    }

    public synchronized String transcript() {
        return transcript.isEmpty() ? "(nothing)" : String.join(" | ", transcript);
    }

    private void pump() {
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.process().getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                synchronized (this) {
                    transcript.add(line);
                }
                lines.add(line);
            }
        } catch (IOException ignored) {
            // the stream closes when the child dies or we close it; the EOF marker below reports either
        }
        lines.add(ChildSide.EOF);
    }

    @Override
    public void close() throws IOException {
        child.close();
    }
}

package org.ipclab.pipe;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.ProcFiles;

/**
 * The pipe deadlock, run for real: write a whole message to an echo child before reading its echo.
 *
 * <p>The child echoes as it reads. Its stdout pipe holds 64 KiB; once that is full and nobody reads it, the
 * child blocks in write(2) and stops reading its stdin. Our stdin pipe to it fills next, and our write(2)
 * blocks. Each process now waits for the other: a deadlock, with no error and no timeout, only silence.
 * (The same warning is in {@link Process}'s javadoc: "failure to promptly write the input stream or read the
 * output stream of the process may cause the process to block, or even deadlock".)
 *
 * <p>The wrong way runs on a helper thread; when no byte has moved for a second we call it a deadlock,
 * report how far it got and what the kernel says the child is doing ({@code /proc/<pid>/wchan}), and kill
 * the child to free the thread. Then the right way: write on one thread while another reads
 * ({@link PipeEchoClient}, through {@code AbstractEchoClient.roundTrip}).
 *
 * <p>Run: {@code java -cp comparison/target/ipc-lab.jar org.ipclab.pipe.PipeDeadlockMain [bytes] [child command]}
 * (defaults: 1048576 bytes, {@code cat}).
 */
public final class PipeDeadlockMain {

    /** Bytes per write(2) in the wrong way, so that its progress can be watched. */
    static final int PIECE = 4 * 1024;

    /** No progress for this long counts as a deadlock. */
    static final Duration DEFAULT_STALL = Duration.ofSeconds(1);

    /**
     * @param written     bytes written to the child before everything stopped (all of them if it completed)
     * @param deadlocked  whether nothing moved for the stall time
     * @param childWchan  where in the kernel the child slept at that moment, e.g. "anon_pipe_write"
     */
    record Outcome(long written, long total, boolean deadlocked, String childWchan) {
    }

    private PipeDeadlockMain() {
    }

    /** THE WRONG WAY: write everything, then read. */
    static Outcome writeAllThenRead(ChildCommand command, int size, Duration stall) throws IOException, InterruptedException {
        byte[] message = new byte[size];
        new Random(1).nextBytes(message);
        byte[] echo = new byte[size];
        AtomicLong written = new AtomicLong();
        Process process = new ProcessBuilder(command.command()).redirectError(Redirect.INHERIT).start();
        try (ChildProcess child = new ChildProcess(process, "echo child", Duration.ofMillis(200))) {
            OutputStream toChild = process.getOutputStream();
            InputStream fromChild = process.getInputStream();
            CompletableFuture<Boolean> wrong = CompletableFuture.supplyAsync(() -> {
                try {
                    // ---- the mistake: the whole message first ...
                    for (int offset = 0; offset < size; offset += PIECE) {
                        int n = Math.min(PIECE, size - offset);
                        toChild.write(message, offset, n);
                        toChild.flush();
                        written.addAndGet(n);
                    }
                    // ---- ... and only then the echo: never reached once the pipes are full
                    return fromChild.readNBytes(echo, 0, size) == size && Arrays.equals(message, echo);
                } catch (IOException e) {
                    return false;   // the child was killed to end the deadlock: the write failed with EPIPE
                }
            }, runnable -> {
                Thread t = new Thread(runnable, "wrong-way");
                t.setDaemon(true);
                t.start();
            });
            long last = -1;
            long lastChangeNs = System.nanoTime();
            while (!wrong.isDone()) {
                TimeUnit.MILLISECONDS.sleep(20);
                long now = written.get();
                if (now != last) {
                    last = now;
                    lastChangeNs = System.nanoTime();
                } else if (System.nanoTime() - lastChangeNs > stall.toNanos()) {
                    String wchan = pipeWait(process.pid());
                    process.destroyForcibly();   // frees the blocked writer: its write(2) fails with EPIPE
                    return new Outcome(now, size, true, wchan);
                }
            }
            return new Outcome(written.get(), size, false, "");
        }
    }

    /**
     * Where the child sleeps in the kernel: the wchan of the thread waiting on a pipe ("anon_pipe_write";
     * "pipe_write" on kernels before 6.x). A JVM has many threads and its first one only waits for the
     * others (futex), so every thread of the process is looked at.
     */
    static String pipeWait(long pid) {
        String first = "?";
        try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
            for (Path task : (Iterable<Path>) tasks.sorted()::iterator) {
                String wchan = ProcFiles.readIfPresent(task.resolve("wchan")).orElse("?");
                if (wchan.contains("pipe")) {
                    return wchan;
                }
                if (first.equals("?")) {
                    first = wchan;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return first;
        }
        return first;
    }

    /** THE RIGHT WAY: one thread writes while another reads; returns the round-trip time in nanoseconds. */
    static long writeWhileReading(ChildCommand command, int size) throws IOException {
        byte[] message = new byte[size];
        new Random(1).nextBytes(message);
        byte[] echo = new byte[size];
        try (PipeEchoClient client = PipeEchoClient.start(command, Duration.ofSeconds(20))) {
            long start = System.nanoTime();
            client.roundTrip(message, echo, size);
            long rttNs = System.nanoTime() - start;
            if (!Arrays.equals(message, echo)) {
                throw new IOException("the echo differs from the message");
            }
            return rttNs;
        }
    }

    public static void main(String[] args) throws Exception {
        int size = args.length > 0 ? Integer.parseInt(args[0]) : 1024 * 1024;
        ChildCommand command = ChildCommand.parse(args.length > 1 ? String.join(" ", Arrays.copyOfRange(args, 1, args.length)) : "cat");
        command.checkRunnable();
        System.out.printf(Locale.ROOT, "Echo child: %s; message: %d bytes; pipe capacity: %d bytes each way%n",
                command.describe(), size, PipeEchoClient.PIPE_CAPACITY);

        Outcome wrong = writeAllThenRead(command, size, DEFAULT_STALL);
        if (wrong.deadlocked()) {
            System.out.printf(Locale.ROOT, "Wrong way (write it all, then read): DEADLOCK after %d of %d bytes;"
                    + " nothing moved for %d ms. The child was asleep in %s: its stdout pipe was full and we were"
                    + " not reading it. Killed it to end the wait.%n",
                    wrong.written(), wrong.total(), DEFAULT_STALL.toMillis(), wrong.childWchan());
        } else {
            System.out.printf(Locale.ROOT, "Wrong way (write it all, then read): completed, because %d bytes fit in"
                    + " the pipes and the child's buffer. Try a larger message.%n", size);
        }

        long rttNs = writeWhileReading(command, size);
        System.out.printf(Locale.ROOT, "Right way (write on one thread, read on another): all %d bytes echoed"
                + " and verified in %.1f ms.%n", size, rttNs / 1e6);
    }
}

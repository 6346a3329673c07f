package org.ipclab.pipe;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.Closer;
import org.ipclab.core.Errnos;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.FileModes;
import org.ipclab.core.experiments.Libc.Fd;
import org.ipclab.core.experiments.Libc.Outcome;
import org.ipclab.core.experiments.Libc;

/** The property experiments for FIFOs (named pipes): a pipe reached through a name in the filesystem. */
final class FifoExperiments extends PipeLikeExperiments {

    static final int MODE_OWNER_ONLY = 0600;
    static final int CRASH_BYTES = 1000;
    static final long BLOCKED_OPEN_WAIT_MS = 200;

    private final AtomicInteger fifos = new AtomicInteger();

    @Override
    public String transport() {
        return FifoDescriptor.INSTANCE.id();
    }

    @Override
    String madeBy() {
        return "mkfifo(3) and two open(2)s (O_RDONLY, O_WRONLY)";
    }

    /**
     * mkfifo(3): creates a file of type FIFO ('p' in `ls -l`). It holds no data; it is a name that leads every
     * opener to one kernel pipe, which exists while at least one process has it open. Mode 0600 (minus the
     * umask): only the owner may open it. Man page: fifo(7).
     */
    Path mkfifo(Path dir) throws IOException {
        Libc.requireNative();
        Path path = dir.resolve("f" + fifos.incrementAndGet() + ".fifo").toAbsolutePath();
        if (Libc.POSIX.mkfifo(path.toString(), MODE_OWNER_ONLY) < 0) {
            throw new IOException("mkfifo " + path + " failed: " + Errnos.text(Libc.POSIX.errno())
                    + "; is the directory writable (and not on a filesystem without FIFOs)?");
        }
        return path;
    }

    @Override
    Fd[] openEnds(Path dir) throws IOException {
        Path path = mkfifo(dir);
        /* open(2) O_RDONLY|O_NONBLOCK succeeds at once even with no writer; after it, an O_WRONLY|O_NONBLOCK open
         * finds a reader and succeeds too. (Blocking opens wait for the other side: see senderWithNoPeer.) */
        Fd readEnd = Libc.openOrThrow(path.toString(), Libc.O_RDONLY | Libc.O_NONBLOCK, "read end");
        try {
            return new Fd[] {readEnd, Libc.openOrThrow(path.toString(), Libc.O_WRONLY | Libc.O_NONBLOCK, "write end")};
        } catch (IOException e) {
            readEnd.close();
            throw e;
        }
    }

    /** A writer's open with nobody reading: non-blocking (fails), and blocking (waits until a reader comes). */
    record NoReader(Outcome nonBlockingOpen, boolean blockingOpenWaited, Outcome blockingOpenAfterReader) {
    }

    NoReader noReaderProbe(Path dir) throws IOException {
        String path = mkfifo(dir).toString();
        /* open(2) O_WRONLY|O_NONBLOCK with no reader fails with ENXIO: the kernel refuses to give a writer a
         * pipe that nobody could ever drain. */
        Outcome nonBlocking = Libc.open(path, Libc.O_WRONLY | Libc.O_NONBLOCK);
        if (!nonBlocking.failed()) {
            Libc.POSIX.close((int) nonBlocking.result());
        }
        /* A blocking open(2) O_WRONLY sleeps in the kernel (wait_for_partner) until some process opens the FIFO
         * for reading; forever, if none does. Watch: `cat /proc/<pid>/task/<tid>/wchan`, or strace showing an
         * unfinished open. */
        AtomicReference<Outcome> blockingResult = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        Thread opener = new Thread(() -> {
            blockingResult.set(Libc.open(path, Libc.O_WRONLY));
            returned.countDown();
        }, "fifo-blocking-open");
        opener.setDaemon(true);
        opener.start();
        boolean waited;
        Fd reader = null;
        try {
            waited = !returned.await(BLOCKED_OPEN_WAIT_MS, TimeUnit.MILLISECONDS);
            // A reader arrives: the kernel wakes the sleeping writer and both opens complete.
            reader = Libc.openOrThrow(path, Libc.O_RDONLY | Libc.O_NONBLOCK, "reader that releases the writer");
            if (!returned.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("a blocking open(O_WRONLY) of " + path + " did not return even after a reader opened it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            if (reader == null && returned.getCount() > 0) {
                // Never leave a thread asleep in open(2): a reader that comes and goes releases it.
                Outcome release = Libc.open(path, Libc.O_RDONLY | Libc.O_NONBLOCK);
                try {
                    returned.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException ignored) {
                    // cleanup continues; the interrupt already ended the experiment
                }
                if (!release.failed()) {
                    Libc.POSIX.close((int) release.result());
                }
            }
            Closer.closeQuietly(null, reader);
            Outcome opened = blockingResult.get();
            if (opened != null && !opened.failed()) {
                Libc.POSIX.close((int) opened.result());
            }
        }
        return new NoReader(nonBlocking, waited, blockingResult.get());
    }

    @Override
    public Cell senderWithNoPeer(Path dir) throws IOException {
        NoReader seen = noReaderProbe(dir);
        String nonBlocking = seen.nonBlockingOpen().failed() ? seen.nonBlockingOpen().describe() : "success?";
        return Cell.measured(Errnos.name(seen.nonBlockingOpen().errno()) + ", or open blocks until a reader comes",
                "With nobody reading, open(2) O_WRONLY|O_NONBLOCK failed at once with " + nonBlocking + "; a blocking "
                        + "open(O_WRONLY) " + (seen.blockingOpenWaited() ? "was still waiting after " + BLOCKED_OPEN_WAIT_MS
                        + " ms and returned a descriptor as soon as we opened the read end"
                        : "returned early: " + seen.blockingOpenAfterReader().describe()) + ". Nothing is queued for a reader that comes later.");
    }

    /** What the writer saw after the reader died holding unread bytes, and what a later reader found. */
    record Crash(int exitCode, Outcome nextWrite, Outcome laterRead) {
    }

    Crash crashProbe(Path dir) throws IOException {
        Path path = mkfifo(dir);
        /* The reader is a child process whose shell opens the FIFO as stdin (blocking until a writer comes), then
         * becomes `sleep`, which never reads. */
        Process process = new ProcessBuilder("sh", "-c", "exec sleep 30 < \"$1\"", "sh", path.toString())
                .redirectErrorStream(true).start();
        try (ChildProcess child = new ChildProcess(process, "sleep (pid " + process.pid() + ")")) {
            Fd writer = openWhenReaderArrives(path.toString(), child);
            Outcome nextWrite;
            int exit;
            try {
                Outcome written = Libc.write(writer.fd(), new byte[CRASH_BYTES], CRASH_BYTES);
                if (written.result() != CRASH_BYTES) {
                    throw new IOException("write of " + CRASH_BYTES + " B into the FIFO: " + written.describe());
                }
                exit = PipeExperiments.kill(process);
                /* The reader is gone: writing now fails with EPIPE (and SIGPIPE), just as for an anonymous pipe. */
                nextWrite = Libc.write(writer.fd(), new byte[1], 1);
            } finally {
                writer.close();
            }
            /* Every descriptor of the pipe is closed now, so the kernel has freed its buffer. A new reader opens the
             * same name, gets a fresh, empty pipe, and with no writer read(2) returns 0: end of file. (Had we kept
             * our write end open, a new reader would still have found the 1000 bytes: the buffer belongs to the
             * pipe, which lives while any process holds it open.) */
            try (Fd later = Libc.openOrThrow(path.toString(), Libc.O_RDONLY | Libc.O_NONBLOCK, "a later reader")) {
                byte[] buffer = new byte[CRASH_BYTES * 2];
                return new Crash(exit, nextWrite, Libc.read(later.fd(), buffer, buffer.length));
            }
        }
    }

    private static Fd openWhenReaderArrives(String path, ChildProcess reader) throws IOException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Outcome opened = Libc.open(path, Libc.O_WRONLY | Libc.O_NONBLOCK);
            if (!opened.failed()) {
                return new Fd((int) opened.result());
            }
            if (!opened.failedWith(Libc.ENXIO) || System.nanoTime() > deadline || !reader.process().isAlive()) {
                throw new IOException("could not open " + path + " for writing: " + opened.describe() + "; the reader "
                        + reader.describeExit());
            }
            Libc.pause();
        }
    }

    @Override
    public Cell survivesCrash(Path dir) throws IOException {
        Crash seen = crashProbe(dir);
        boolean lost = seen.laterRead().result() == 0;
        return Cell.measured(lost ? "no: lost with the last descriptor" : "unclear: " + seen.laterRead().describe(),
                "A child process held the FIFO open for reading and never read; we wrote " + CRASH_BYTES + " B, then "
                        + "SIGKILLed it (exit " + ChildProcess.describeExitCode(seen.exitCode()) + "). Our next write "
                        + "failed with " + seen.nextWrite().describe() + "; after we closed too, a new reader of the same "
                        + "name read " + (seen.laterRead().failed() ? seen.laterRead().describe() : seen.laterRead().result()
                        + " B (end of file)") + ": the FIFO file holds no data; the bytes lived in the kernel's pipe "
                        + "buffer, which lasts only while some process has the FIFO open.");
    }

    @Override
    public Cell whoCanConnect(Path dir) throws IOException {
        Path path = mkfifo(dir);
        int mode = (Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) Files.getAttribute(path, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        String owner = Files.getOwner(path, LinkOption.NOFOLLOW_LINKS).getName();
        return Cell.measured("this host; file mode " + FileModes.symbolic(mode),
                "mkfifo(3) with mode 0" + Integer.toOctalString(MODE_OWNER_ONLY) + " made " + path.getFileName()
                        + ": `ls -l` shows " + FileModes.symbolic(mode) + " owner " + owner + " (uid " + uid + "). open(2) "
                        + "checks these bits as for any file, so only that user (and root) can open it, and only on "
                        + "this host: the name leads to a pipe in this kernel.");
    }

    /** Two writers sharing one FIFO: how many of their records came out whole. */
    record Interleaving(int recordBytes, int records, int wholeRecords, long bytesRead) {
        int mixedRecords() {
            return records - wholeRecords;
        }
    }

    static final int WRITERS = 2;
    static final int SMALL_RECORD_BYTES = Libc.PIPE_BUF;
    static final int SMALL_RECORDS_PER_WRITER = 256;
    /** Bigger than the whole pipe: no such write can go in at once, so its writer must sleep mid-record. */
    static final int LARGE_RECORD_BYTES = 24 * Libc.PIPE_BUF;
    static final int LARGE_RECORDS_PER_WRITER = 32;

    /**
     * {@value #WRITERS} writer threads, each with its own open(2) of the FIFO (to the kernel that is the same as two
     * processes), write records of {@code recordBytes} filled with their own letter, one write(2) per record; one
     * reader reads everything and checks every record-sized slice for a single letter.
     */
    Interleaving interleaving(Path dir, int recordBytes, int recordsPerWriter) throws IOException {
        String path = mkfifo(dir).toString();
        long total = (long) WRITERS * recordsPerWriter * recordBytes;
        ByteArrayOutputStream received = new ByteArrayOutputStream((int) total);
        List<Thread> writers = new ArrayList<>();
        List<Fd> writerFds = new ArrayList<>();
        AtomicReference<String> failure = new AtomicReference<>();
        try (Fd reader = Libc.openOrThrow(path, Libc.O_RDONLY | Libc.O_NONBLOCK, "reader")) {
            CountDownLatch start = new CountDownLatch(1);
            for (int w = 0; w < WRITERS; w++) {
                // Blocking write ends: a record that does not fit makes its writer sleep mid-record.
                writerFds.add(Libc.openOrThrow(path, Libc.O_WRONLY, "writer " + w));
                Fd fd = writerFds.get(w);
                byte[] record = new byte[recordBytes];
                java.util.Arrays.fill(record, (byte) ('A' + w));
                Thread writer = new Thread(() -> {
                    try {
                        start.await();
                        for (int r = 0; r < recordsPerWriter; r++) {
                            /* write(2) to a pipe: up to PIPE_BUF bytes go in as one piece under the pipe's lock.
                             * A bigger write copies what fits, and if the pipe is full sleeps with the lock
                             * released, so another writer's bytes can land in the middle of the record. */
                            Outcome written = Libc.write(fd.fd(), record, record.length);
                            if (written.result() != record.length) {
                                failure.compareAndSet(null, "writer got " + written.describe());
                                return;
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }, "fifo-writer-" + w);
                writer.setDaemon(true);
                writers.add(writer);
                writer.start();
            }
            start.countDown();
            Libc.readUntil(reader, new byte[64 * 1024], total, received, TIMEOUT);
            // The reader closes first: a writer still sleeping in write(2) (only after a timeout) then fails with
            // EPIPE and returns, so no thread is left behind.
        } finally {
            Closer.closeQuietly(null, writerFds.toArray(new AutoCloseable[0]));
            for (Thread writer : writers) {
                try {
                    writer.join(TIMEOUT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        if (failure.get() != null) {
            throw new IOException("a FIFO writer failed: " + failure.get());
        }
        byte[] bytes = received.toByteArray();
        int records = bytes.length / recordBytes;
        int whole = 0;
        for (int r = 0; r < records; r++) {
            byte first = bytes[r * recordBytes];
            boolean same = true;
            for (int i = 1; i < recordBytes && same; i++) {
                same = bytes[r * recordBytes + i] == first;
            }
            if (same) {
                whole++;
            }
        }
        return new Interleaving(recordBytes, WRITERS * recordsPerWriter, whole, bytes.length);
    }

    @Override
    public Cell manyClients(Path dir) throws IOException {
        Interleaving small = interleaving(dir, SMALL_RECORD_BYTES, SMALL_RECORDS_PER_WRITER);
        Interleaving large = interleaving(dir, LARGE_RECORD_BYTES, LARGE_RECORDS_PER_WRITER);
        String largeText = large.mixedRecords() > 0
                ? large.mixedRecords() + " of " + large.records() + " came out mixed: only writes up to PIPE_BUF are atomic."
                : "none of " + large.records() + " came out mixed this run, but only writes up to PIPE_BUF are promised to be atomic.";
        return Cell.measured("many writers; ≤ PIPE_BUF writes whole (" + small.wholeRecords() + "/" + small.records()
                        + "), " + (LARGE_RECORD_BYTES / 1024) + " KiB mixed " + large.mixedRecords() + "/" + large.records(),
                WRITERS + " writers, each with its own open(2) of one FIFO, wrote " + small.records() + " records of "
                        + SMALL_RECORD_BYTES + " B (= PIPE_BUF) at once: " + small.mixedRecords() + " came out mixed. "
                        + "With " + LARGE_RECORD_BYTES + "-B records (more than the pipe holds), " + largeText
                        + " The reader cannot tell who wrote what unless the records say so.");
    }
}

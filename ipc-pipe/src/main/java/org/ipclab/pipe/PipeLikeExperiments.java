package org.ipclab.pipe;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.ipclab.core.experiments.Boundaries;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.Libc.Fd;
import org.ipclab.core.experiments.Libc.Outcome;
import org.ipclab.core.experiments.Libc;
import org.ipclab.core.experiments.Probes;
import org.ipclab.core.experiments.TransportExperiments;

/**
 * The experiments anonymous pipes and FIFOs share: a FIFO is a pipe with a name, so once both ends are open they
 * behave the same (one kernel buffer, one direction, no message boundaries, 64 KiB by default).
 */
abstract class PipeLikeExperiments implements TransportExperiments {

    static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Stop filling after this much even if the pipe never pushes back (it always does, at its capacity). */
    static final long FILL_LIMIT_BYTES = 64L << 20;

    /** A read end and a write end of one pipe, both non-blocking: {read, write}. */
    abstract Fd[] openEnds(Path dir) throws IOException;

    /** "pipe(2)" or "mkfifo(3) + two open(2)": how the ends were made, for the evidence. */
    abstract String madeBy();

    /** What writing into the wrong end, and reading from the wrong end, did. */
    record Direction(Outcome writeToReadEnd, Outcome readFromWriteEnd, long written, long read) {
        boolean oneWay() {
            return writeToReadEnd.failedWith(Libc.EBADF) && readFromWriteEnd.failedWith(Libc.EBADF);
        }
    }

    Direction directionProbe(Path dir) throws IOException {
        Libc.requireNative();
        Fd[] ends = openEnds(dir);
        try (Fd readEnd = ends[0]; Fd writeEnd = ends[1]) {
            byte[] message = "hello".getBytes(StandardCharsets.US_ASCII);
            byte[] buffer = new byte[64];
            /* The wrong way round: the kernel checks the descriptor's access mode (FMODE_WRITE / FMODE_READ) before
             * touching the pipe and fails with EBADF. Watch: `strace -e trace=read,write`. */
            Outcome wrongWrite = Libc.write(readEnd.fd(), message, message.length);
            Outcome wrongRead = Libc.read(writeEnd.fd(), buffer, buffer.length);
            Outcome written = Libc.write(writeEnd.fd(), message, message.length);
            List<Integer> reads = Libc.readUntil(readEnd, buffer, message.length, null, TIMEOUT);
            return new Direction(wrongWrite, wrongRead, written.result(), reads.stream().mapToInt(Integer::intValue).sum());
        }
    }

    @Override
    public Cell direction(Path dir) throws IOException {
        Direction seen = directionProbe(dir);
        return Cell.measured(seen.oneWay() ? "one-way (EBADF the other way)" : "not one-way?",
                madeBy() + " gave a read end and a write end: write(2) on the read end failed with "
                        + seen.writeToReadEnd().describe() + " and read(2) on the write end failed with "
                        + seen.readFromWriteEnd().describe() + ", while " + seen.written() + " B written to the write end "
                        + "came out of the read end (" + seen.read() + " B). An echo round trip needs two of them.");
    }

    Boundaries boundaries(Path dir) throws IOException {
        Libc.requireNative();
        Fd[] ends = openEnds(dir);
        try (Fd readEnd = ends[0]; Fd writeEnd = ends[1]) {
            List<Integer> writes = Boundaries.WRITES;
            for (int i = 0; i < writes.size(); i++) {
                byte[] bytes = Boundaries.payload(writes.get(i), i);
                Outcome written = Libc.write(writeEnd.fd(), bytes, bytes.length);
                if (written.result() != bytes.length) {
                    throw new IOException("write(2) of " + bytes.length + " B into an empty pipe: " + written.describe());
                }
            }
            /* read(2) on a pipe copies from the kernel's buffer until it is empty or the reader's buffer is full:
             * the three writes are already there, back to back, with nothing marking where each ended. */
            byte[] buffer = new byte[Boundaries.READ_BUFFER_BYTES];
            int total = writes.stream().mapToInt(Integer::intValue).sum();
            return new Boundaries(writes, Libc.readUntil(readEnd, buffer, total, null, TIMEOUT));
        }
    }

    @Override
    public Cell messageBoundaries(Path dir) throws IOException {
        return boundaries(dir).streamCell("The writer wrote");
    }

    /** How much a non-blocking writer put into a pipe nobody reads, what stopped it, and F_GETPIPE_SZ. */
    record Fill(long acceptedBytes, Outcome stop, int pipeSizeBytes) {
    }

    Fill fill(Path dir) throws IOException {
        Libc.requireNative();
        Fd[] ends = openEnds(dir);
        try (Fd readEnd = ends[0]; Fd writeEnd = ends[1]) {
            // The read end stays open but unread: with no reader at all, writes would fail with EPIPE instead.
            int pipeSize = Libc.pipeSize(readEnd);
            byte[] chunk = new byte[Libc.PIPE_BUF];
            long accepted = 0;
            Outcome last;
            /* write(2) with O_NONBLOCK: a write of up to PIPE_BUF bytes either fits whole or fails with EAGAIN,
             * so the fill stops exactly at the capacity. Without O_NONBLOCK the writer would sleep here until the
             * reader makes room: the classic deadlock when a parent writes all its input to a child before
             * reading the child's output. Watch: `strace -e trace=write` shows the EAGAIN. */
            do {
                last = Libc.write(writeEnd.fd(), chunk, chunk.length);
                if (!last.failed()) {
                    accepted += last.result();
                }
            } while (!last.failed() && accepted < FILL_LIMIT_BYTES);
            return new Fill(accepted, last, pipeSize);
        }
    }

    @Override
    public Cell capacityBeforeWriterBlocks(Path dir) throws IOException {
        Fill fill = fill(dir);
        if (!fill.stop().failedWith(Libc.EAGAIN)) {
            return Cell.measured("more than " + fill.acceptedBytes() + " B", "Non-blocking writes with nobody "
                    + "reading were still accepted after " + fill.acceptedBytes() + " B (last: " + fill.stop().describe()
                    + "); fcntl(F_GETPIPE_SZ) = " + fill.pipeSizeBytes() + " B.");
        }
        return Cell.measured(fill.acceptedBytes() + " B" + (fill.acceptedBytes() == fill.pipeSizeBytes()
                        ? " (= F_GETPIPE_SZ)" : " (F_GETPIPE_SZ " + fill.pipeSizeBytes() + ")"),
                "With O_NONBLOCK on the write end and nobody reading, " + Libc.PIPE_BUF + "-byte writes were accepted "
                        + "until write(2) failed with " + fill.stop().describe() + " after " + fill.acceptedBytes()
                        + " B; fcntl(F_GETPIPE_SZ) reports " + fill.pipeSizeBytes() + " B. A blocking writer sleeps "
                        + "there until the reader reads. fcntl(F_SETPIPE_SZ) can raise it up to fs.pipe-max-size = "
                        + Probes.sysctl("fs/pipe-max-size") + " B.");
    }
}

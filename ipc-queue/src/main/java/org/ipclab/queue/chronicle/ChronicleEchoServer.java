package org.ipclab.queue.chronicle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.ipclab.core.Closer;
import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.threads.Pauser;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * The echo server: one thread that tails {@code requests/} and appends each DATA message, unchanged, to
 * {@code responses/} with the client's id and sequence number (see {@link ChronicleFrames}).
 *
 * <p><b>Exactly once, even across SIGKILL.</b> The server keeps no position of its own (no named tailer,
 * whose saved position and the work done can disagree after a crash). Every response records the index
 * of the request it answers; on start the server reads the <em>last response</em> and resumes with the
 * request after it. Appending an excerpt is atomic for readers: until the writer publishes the length
 * in the excerpt's header, readers wait, and if the writer dies first, the next writer (after taking
 * over the dead process's write lock) overwrites the half-written excerpt. So a request is either
 * answered (its response is in the log, and the restarted server skips it) or not (and it is answered
 * after the restart): never twice, never lost. Clients check sequence numbers as well (see
 * {@link ChronicleEchoClient}).
 *
 * <p>Requests written while no server runs simply wait in the queue: this server answers them when it
 * starts. Requests of clients long gone are answered too; nobody reads those responses.
 */
public final class ChronicleEchoServer implements EchoServer {

    private static final long STOP_WAIT_MS = 5_000;

    /** How often an idle server checks that its queue files are still there (see {@link ChronicleDirectory#whatWasRemoved()}). */
    static final long CHECK_FILES_EVERY_NS = TimeUnit.SECONDS.toNanos(1);

    private final ChronicleDirectory queues;
    private final ChronicleServerLock lock;
    private final boolean temporary;
    private final ChroniclePauser pauserKind;
    private final Pauser pauser;
    private final Consumer<String> log;
    private final ExcerptTailer requests;
    private final ExcerptAppender responses;
    private final Thread loop;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final long waitingAtStart;
    private final int waitingClientsAtStart;
    private volatile boolean running = true;
    private volatile IOException failure;
    private boolean closed;
    private long answered;

    private ChronicleEchoServer(ChronicleDirectory queues, ChronicleServerLock lock, boolean temporary,
                                ChroniclePauser pauserKind, Consumer<String> log) throws IOException {
        this.queues = queues;
        this.lock = lock;
        this.temporary = temporary;
        this.pauserKind = pauserKind;
        this.pauser = pauserKind.create();
        this.log = log;
        this.responses = queues.responses().createAppender();
        this.requests = queues.requests().createTailer();
        resumeAfterLastAnsweredRequest();
        long[] waiting = countWaiting();
        this.waitingAtStart = waiting[0];
        this.waitingClientsAtStart = (int) waiting[1];
        log.accept("ipc-lab chronicle echo server on " + queues.path() + " (pid " + ProcessHandle.current().pid() + ")");
        log.accept("Waiting with the " + pauserKind.id() + " pauser, " + pauserInUse() + ": " + pauserKind.description());
        ChronicleDirectory.lowSpaceWarning(queues.path()).ifPresent(log);
        if (waitingAtStart > 0) {
            log.accept(describeBacklog());
        }
        this.loop = new Thread(this::run, "chronicle-echo " + queues.path());
        loop.setDaemon(true);
        // The echo thread owns the tailer and appender from here on (Chronicle checks that one thread uses them).
        requests.singleThreadedCheckReset();
        responses.singleThreadedCheckReset();
        loop.start();
    }

    /**
     * Serves the queues in {@code dir}, or in a fresh temporary directory (removed on close) when
     * {@code dir} is null. The pauser comes from {@code settings.options().get("pauser")}.
     */
    public static ChronicleEchoServer open(Path dir, ServerSettings settings) throws IOException {
        ChroniclePauser pauser;
        try {
            pauser = ChroniclePauser.fromOptions(settings.options());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        boolean temporary = dir == null;
        Path path = temporary ? Files.createTempDirectory("ipc-lab-chronicle-") : dir.toAbsolutePath().normalize();
        ChronicleServerLock lock = null;
        ChronicleDirectory queues = null;
        try {
            ChronicleDirectory.prepareWritable(path);
            lock = ChronicleServerLock.acquire(path);
            queues = ChronicleDirectory.open(path);
            return new ChronicleEchoServer(queues, lock, temporary, pauser, settings.log());
        } catch (IOException | RuntimeException e) {
            Closer.closeQuietly(e, queues, lock);
            if (temporary) {
                ChronicleDirectory.deleteRecursively(path);
            }
            throw e;
        }
    }

    /** The queue directory. */
    @Override
    public String endpoint() {
        return queues.path().toString();
    }

    public Path directory() {
        return queues.path();
    }

    /** True when the directory was made for this server and is removed when it stops. */
    public boolean isTemporary() {
        return temporary;
    }

    public ChroniclePauser pauserKind() {
        return pauserKind;
    }

    /** What the echo thread really waits with (e.g. BusyPauser even on a 2-CPU machine). */
    public String pauserInUse() {
        return ChroniclePauser.describe(pauser);
    }

    /** DATA requests that were in the queue, unanswered, when the server started. */
    public long waitingAtStart() {
        return waitingAtStart;
    }

    /** Lines for the server's banner: the backlog found at start, in words. */
    public String describeBacklog() {
        if (waitingAtStart == 0) {
            return "no requests were waiting in the queue";
        }
        return waitingAtStart + " request" + (waitingAtStart == 1 ? "" : "s") + " from " + waitingClientsAtStart
                + " client" + (waitingClientsAtStart == 1 ? "" : "s") + (waitingAtStart == 1 ? " was" : " were")
                + " waiting in the queue (written while no server ran): answering " + (waitingAtStart == 1 ? "it" : "them") + " now";
    }

    /**
     * Positions the request tailer just after the request the last response answers, or at the start of
     * the requests queue when nothing was ever answered.
     */
    private void resumeAfterLastAnsweredRequest() throws IOException {
        long lastAnswered = -1;
        ExcerptTailer backwards = queues.responses().createTailer().direction(TailerDirection.BACKWARD).toEnd();
        try (DocumentContext last = backwards.readingDocument()) {
            if (last.isPresent()) {
                Bytes<?> bytes = last.wire().bytes();
                lastAnswered = bytes.readLong(bytes.readPosition() + 2 * Long.BYTES);
            }
        } finally {
            backwards.close();
        }
        if (lastAnswered < 0) {
            requests.toStart();
            return;
        }
        if (!requests.moveToIndex(lastAnswered)) {
            throw new IOException("the last response answers request index " + Long.toHexString(lastAnswered)
                    + ", which is not in " + queues.path().resolve(ChronicleDirectory.REQUESTS)
                    + " (were queue files deleted?); remove the directory to start afresh");
        }
        try (DocumentContext skip = requests.readingDocument()) {
            if (!skip.isPresent()) {
                throw new IOException("cannot read request " + Long.toHexString(lastAnswered) + " again in "
                        + queues.path() + "; remove the directory to start afresh");
            }
        }
    }

    /** {DATA requests, distinct clients} between the tailer's position and the end, without moving it. */
    private long[] countWaiting() {
        ExcerptTailer counter = queues.requests().createTailer();
        try {
            long index = requests.index();
            if (!counter.moveToIndex(index)) {
                return new long[] {0, 0};
            }
            long waiting = 0;
            Set<Long> clients = new HashSet<>();
            while (true) {
                try (DocumentContext dc = counter.readingDocument()) {
                    if (!dc.isPresent()) {
                        break;
                    }
                    Bytes<?> bytes = dc.wire().bytes();
                    long clientId = bytes.readLong();
                    if (bytes.readInt() == ChronicleFrames.DATA) {
                        waiting++;
                        clients.add(clientId);
                    }
                }
            }
            return new long[] {waiting, clients.size()};
        } finally {
            counter.close();
        }
    }

    private void run() {
        try {
            boolean caughtUp = waitingAtStart == 0;
            long lastCheckNs = System.nanoTime();
            while (running) {
                if (echoOne()) {
                    pauser.reset();
                } else {
                    if (!caughtUp) {
                        caughtUp = true;
                        log.accept("Answered the " + waitingAtStart + " waiting request" + (waitingAtStart == 1 ? "" : "s"));
                    }
                    long now = System.nanoTime();
                    if (now - lastCheckNs >= CHECK_FILES_EVERY_NS) {
                        lastCheckNs = now;
                        Optional<String> removed = queues.whatWasRemoved();
                        if (removed.isPresent()) {
                            fail(new IOException(removed.get() + " while the server ran; stopping: start it again to make a new queue"));
                            return;
                        }
                    }
                    pauser.pause();
                }
            }
        } catch (RuntimeException | Error e) {
            if (running) {
                fail(ChronicleDirectory.isNoSpace(e)
                        ? queues.noSpace("the server could not write an echo into " + queues.path().resolve(ChronicleDirectory.RESPONSES), e)
                        : new IOException("chronicle server stopped: " + e, e));
            }
        } finally {
            stopped.countDown();
        }
    }

    /** Stops serving with one log line saying why; {@link #failure()} keeps the reason. */
    private void fail(IOException why) {
        failure = why;
        running = false;
        log.accept(why.getMessage());
    }

    /** Why the server stopped by itself (queue directory deleted, disk full...), if it did. */
    public Optional<IOException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * Echoes the next request, if there is one. Allocation-free: the payload goes from the mapped request
     * file to the mapped response file in one memory copy, never through the Java heap.
     */
    private boolean echoOne() {
        /* Tail: readingDocument() looks at the next excerpt's 4-byte header in the mapped file. Zero means
         * nothing was written yet, "not complete" means a writer is still copying: either way nothing is
         * present, no system call is made, and the pauser decides how long to wait before looking again. */
        try (DocumentContext request = requests.readingDocument()) {
            if (!request.isPresent()) {
                return false;
            }
            Bytes<?> in = request.wire().bytes();
            long clientId = in.readLong();
            int kind = in.readInt();
            long seq = in.readLong();
            switch (kind) {
                case ChronicleFrames.DATA -> {
                    /* Append: writingDocument() takes the queue's write lock (a word in metadata.cq4t, shared
                     * by every process) and reserves the next header; the bytes are copied straight into the
                     * mapped file; close() publishes the length, which is the moment readers see it. */
                    try (DocumentContext response = responses.writingDocument()) {
                        try {
                            Bytes<?> out = response.wire().bytes();
                            out.writeLong(clientId);
                            out.writeLong(seq);
                            out.writeLong(request.index());
                            out.write(in, in.readPosition(), in.readRemaining());
                            ChronicleDirectory.touchEnd(out);
                        } catch (RuntimeException | Error e) {
                            /* A disk-full SIGBUS (see ChronicleDirectory.isNoSpace) stops the copy part way:
                             * the bytes past the fault are the zero page. Published, this excerpt would be a
                             * wrong echo. Rolled back, its length is never written, so no reader ever sees it
                             * and the request stays unanswered: after a restart with space, it is answered. */
                            response.rollbackOnClose();
                            throw e;
                        }
                    }
                    answered++;
                }
                case ChronicleFrames.HELLO -> {
                    log.accept("Client " + ChronicleFrames.shortId(clientId) + " (pid "
                            + (in.readRemaining() >= Long.BYTES ? in.readLong() : -1) + ") opened the queue");
                    acknowledge(clientId, request.index());
                }
                case ChronicleFrames.BYE -> {
                    log.accept("Client " + ChronicleFrames.shortId(clientId) + " finished after " + seq + " message"
                            + (seq == 1 ? "" : "s"));
                    acknowledge(clientId, request.index());
                }
                default -> {
                    log.accept("skipped request " + Long.toHexString(request.index()) + ": unknown "
                            + ChronicleFrames.kindName(kind));
                    acknowledge(clientId, request.index());
                }
            }
            return true;
        }
    }

    /**
     * Records in the responses queue that a HELLO or BYE was handled (sequence number 0, no payload;
     * clients skip it), so a restarted server resumes after it instead of handling, and logging, it again.
     */
    private void acknowledge(long clientId, long requestIndex) {
        try (DocumentContext response = responses.writingDocument()) {
            try {
                Bytes<?> out = response.wire().bytes();
                out.writeLong(clientId);
                out.writeLong(ChronicleFrames.ACK_SEQ);
                out.writeLong(requestIndex);
                ChronicleDirectory.touchEnd(out);
            } catch (RuntimeException | Error e) {
                response.rollbackOnClose();   // as for an echo: never publish a half-written excerpt
                throw e;
            }
        }
    }

    /** Messages echoed since this server started (read from the echo thread's count; approximate from others). */
    public long answered() {
        return answered;
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        pauser.unpause();
        try {
            if (!stopped.await(STOP_WAIT_MS, TimeUnit.MILLISECONDS)) {
                log.accept("the echo thread did not stop within " + STOP_WAIT_MS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            Closer.closeAll(requests, responses, queues, lock);
        } finally {
            if (temporary) {
                ChronicleDirectory.deleteRecursively(queues.path());
            }
        }
    }
}

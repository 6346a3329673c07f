package org.ipclab.queue.chronicle;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import org.ipclab.core.AbstractEchoClient;
import org.ipclab.core.ClientSettings;
import org.ipclab.core.Closer;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.threads.Pauser;
import net.openhft.chronicle.wire.DocumentContext;

/**
 * A client of the Chronicle echo: appends each {@code send} as one DATA excerpt to {@code requests/} and
 * tails {@code responses/} for excerpts carrying its own id.
 *
 * <p>The {@link org.ipclab.core.EchoClient} API is a byte stream; Chronicle carries messages. Each
 * {@code send} is one message (up to {@link ChronicleDirectory#MAX_MESSAGE_BYTES}); {@code receive}
 * reads exactly the bytes asked for from the echoed messages in order, across message boundaries,
 * keeping a partly read echo open for the next call.
 *
 * <p>Echoes are numbered: the n-th DATA message comes back as response n. A repeated number (a duplicate)
 * is dropped and counted; a skipped number (a lost request) fails the receive. With the server's
 * resume-after-last-response design neither happens, even when it is killed mid-run; the check is what
 * lets the tests say so.
 *
 * <p>The queue is a shared file: every client reads every response (and skips the others'), and any
 * process that can read the directory can read every message. Its permissions are the only access control.
 */
public final class ChronicleEchoClient extends AbstractEchoClient {

    private static final SecureRandom IDS = new SecureRandom();

    /** An alias of {@link ChronicleSpaceBudget}'s setting, for the tests that wait it out. */
    static final long RECHECK_SPACE_EVERY_NS = ChronicleSpaceBudget.RECHECK_SPACE_EVERY_NS;

    private final ChronicleDirectory queues;
    private final ExcerptAppender appender;
    private final ExcerptTailer tailer;
    private final Pauser pauser;
    private final ChroniclePauser pauserKind;
    private final long clientId;
    private final long timeoutNs;

    // send side: used by one thread at a time (EchoClient's contract)
    private long sent;
    private boolean finished;
    private final ChronicleSpaceBudget space;
    /** Marks a send's copy into the mapping: close must not unmap it under that copy. */
    private final ChronicleCopyGuard copying = new ChronicleCopyGuard();

    // receive side: used by one thread at a time
    private long received;
    private long duplicates;
    private DocumentContext current;
    private Bytes<?> currentBytes;
    private long lastFilesCheckNs = System.nanoTime();

    private ChronicleEchoClient(ChronicleDirectory queues, ChroniclePauser pauserKind, Duration timeout) {
        super("chronicle " + queues.path(), timeout);
        this.queues = queues;
        this.space = new ChronicleSpaceBudget(queues);
        this.pauserKind = pauserKind;
        this.pauser = pauserKind.create();
        this.timeoutNs = timeout.toNanos();
        this.clientId = IDS.nextLong() & Long.MAX_VALUE;
        this.appender = queues.requests().createAppender();
        /* A new client starts reading at the end of the responses: everything before it answers other
         * clients. Its id is fresh, so no response to it can be there yet. */
        this.tailer = queues.responses().createTailer().toEnd();
        /* Chronicle's appenders and tailers check that one thread uses them and throw otherwise. The
         * EchoClient contract lets send and receive run on any thread, one at a time each (a writer thread
         * for big round trips), so the check would fail honest use: it is switched off for these two. */
        appender.singleThreadedCheckDisabled(true);
        tailer.singleThreadedCheckDisabled(true);
    }

    /** Opens (creating if needed) the queues in {@code dir} and announces this client to the server. */
    public static ChronicleEchoClient connect(Path dir, ClientSettings settings) throws IOException {
        ChroniclePauser pauser;
        try {
            pauser = ChroniclePauser.fromOptions(settings.options());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
        ChronicleDirectory queues = ChronicleDirectory.open(dir.toAbsolutePath().normalize());
        try {
            ChronicleEchoClient client;
            try {
                client = new ChronicleEchoClient(queues, pauser, settings.timeout());
            } catch (RuntimeException | Error e) {
                if (ChronicleDirectory.isNoSpace(e)) {
                    // Even reading can fault: a read of a hole in a MAP_SHARED tmpfs file allocates a page.
                    throw queues.noSpace("the client could not open it: finding the end of "
                            + ChronicleDirectory.RESPONSES + " touched a page the file system could not back", e);
                }
                throw e;
            }
            client.appendControl(ChronicleFrames.HELLO, ProcessHandle.current().pid());
            return client;
        } catch (IOException | RuntimeException e) {
            Closer.closeQuietly(e, queues);
            throw e;
        }
    }

    /** This client's id, as it appears in requests and responses (and, shortened, in the server's log). */
    public long clientId() {
        return clientId;
    }

    public ChroniclePauser pauserKind() {
        return pauserKind;
    }

    /** What a waiting receive really waits with. */
    public String pauserInUse() {
        return ChroniclePauser.describe(pauser);
    }

    /** DATA messages sent so far. */
    public long messagesSent() {
        return sent;
    }

    /** Echoed messages received so far (fully or partly read). */
    public long messagesReceived() {
        return received;
    }

    /** Responses dropped because their number had been seen already. */
    public long duplicatesDropped() {
        return duplicates;
    }

    /** The pid of the live server serving this directory, if there is one right now. */
    public OptionalLong serverPid() {
        return ChronicleServerLock.runningServerPid(queues.path());
    }

    @Override
    protected void doSend(byte[] src, int offset, int length) throws IOException {
        copying.begin();
        try {
            append(src, offset, length);
        } finally {
            copying.end();
        }
    }

    private void append(byte[] src, int offset, int length) throws IOException {
        if (finished) {
            throw new IOException(name() + ": sending was finished (finishSending); connect a new client to send more");
        }
        if (length == 0) {
            return;   // a byte stream: nothing to send, nothing will come back
        }
        if (length > ChronicleDirectory.MAX_MESSAGE_BYTES) {
            throw new IOException(String.format(Locale.ROOT, "%s: a message of %,d bytes is too big: one Chronicle"
                    + " excerpt holds at most %,d bytes (a quarter of the %d MiB block size), less ipc-lab's"
                    + " %d-byte header, so a message carries at most %,d bytes; send it in parts",
                    name(), length, ChronicleDirectory.MAX_EXCERPT_BYTES, ChronicleDirectory.BLOCK_BYTES >> 20,
                    ChronicleDirectory.MAX_EXCERPT_BYTES - ChronicleDirectory.MAX_MESSAGE_BYTES,
                    ChronicleDirectory.MAX_MESSAGE_BYTES));
        }
        long seq = sent + 1;
        space.ensureRoomFor(ChronicleFrames.DATA, seq, length);
        /* Append: writingDocument() takes the write lock shared by every process appending to requests/
         * (a word in metadata.cq4t, held for microseconds; a holder that died is detected and the lock
         * forced open, with a WARN line; a live holder keeping it past the queue's timeoutMS, 10 s, fails
         * the append) and reserves the next excerpt. The bytes go straight into the
         * mapped file: a memory copy, no system call. close() publishes the excerpt's length: only then
         * can the server see it. If anything fails in between, rollbackOnClose() leaves no half message. */
        DocumentContext dc;
        try {
            dc = appender.writingDocument();   // writes the excerpt's header: that store can fault too
        } catch (RuntimeException | Error e) {
            throw appendFailed("message " + seq + " (" + length + " bytes)", e);
        }
        try {
            Bytes<?> bytes = dc.wire().bytes();
            bytes.writeLong(clientId);
            bytes.writeInt(ChronicleFrames.DATA);
            bytes.writeLong(seq);
            bytes.write(src, offset, length);
            ChronicleDirectory.touchEnd(bytes);
        } catch (RuntimeException | Error e) {
            /* Error too: a disk-full SIGBUS in the copy arrives as InternalError (ChronicleDirectory.isNoSpace).
             * The rollback keeps the half-copied message (zeros past the fault) from ever being published,
             * so the server never echoes bytes that were not sent, and the next append reuses the place. */
            dc.rollbackOnClose();
            throw appendFailed("message " + seq + " (" + length + " bytes)", e);
        } finally {
            dc.close();
        }
        sent = seq;
        space.spent(length);
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        try {
            receiveFully(dst, offset, length);
        } catch (RuntimeException | Error e) {
            if (ChronicleDirectory.isNoSpace(e)) {
                throw queues.noSpace("the client could not read its echo from "
                        + queues.path().resolve(ChronicleDirectory.RESPONSES), e);
            }
            throw e;
        }
    }

    private void receiveFully(byte[] dst, int offset, int length) throws IOException {
        int at = offset;
        int left = length;
        long deadline = 0;
        while (left > 0) {
            if (current == null) {
                if (!nextOwnEcho()) {
                    long now = System.nanoTime();
                    if (deadline == 0) {
                        deadline = now + timeoutNs;
                    } else if (now - deadline > 0) {
                        throw noEcho(length - left, length);
                    }
                    if (now - lastFilesCheckNs >= ChronicleEchoServer.CHECK_FILES_EVERY_NS) {
                        lastFilesCheckNs = now;
                        checkFilesStillThere();
                    }
                    pauser.pause();
                    continue;
                }
                pauser.reset();
                deadline = 0;
            }
            int n = (int) Math.min(left, currentBytes.readRemaining());
            currentBytes.read(dst, at, n);
            at += n;
            left -= n;
            if (currentBytes.readRemaining() == 0) {
                finishCurrent();
            }
        }
    }

    /**
     * Moves to the next response addressed to this client, skipping the others'. Leaves it open in
     * {@link #current} and returns true, or returns false when nothing new is there yet.
     */
    private boolean nextOwnEcho() throws IOException {
        while (true) {
            /* Tail: a look at the next excerpt's header in the mapped responses file, no system call. The
             * server's ordered store of the length is what makes the bytes behind it safe to read. */
            DocumentContext dc = tailer.readingDocument();
            if (!dc.isPresent()) {
                dc.close();
                return false;
            }
            Bytes<?> bytes = dc.wire().bytes();
            if (bytes.readLong() != clientId) {
                dc.close();
                continue;
            }
            long seq = bytes.readLong();
            bytes.readSkip(Long.BYTES);   // the request index: the server's business
            if (seq == ChronicleFrames.ACK_SEQ) {
                dc.close();   // the server saw our HELLO or BYE
                continue;
            }
            if (seq <= received) {
                duplicates++;
                dc.close();
                continue;
            }
            if (seq != received + 1) {
                dc.close();
                throw new IOException(name() + ": the echo of message " + (received + 1) + " never came (the next"
                        + " one was " + seq + "): a request was lost");
            }
            received = seq;
            if (bytes.readRemaining() == 0) {
                dc.close();
                continue;
            }
            current = dc;
            currentBytes = bytes;
            return true;
        }
    }

    private void finishCurrent() {
        DocumentContext dc = current;
        current = null;
        currentBytes = null;
        dc.close();
    }

    /**
     * While waiting (at most once a second, never per message): were the queue files deleted under us?
     * Then no echo can ever come, since appends and reads go on in unlinked files that nobody else can
     * open (see {@link ChronicleDirectory#whatWasRemoved()}).
     */
    private void checkFilesStillThere() throws IOException {
        Optional<String> removed = queues.whatWasRemoved();
        if (removed.isPresent()) {
            throw new IOException(name() + ": " + removed.get() + " while this client waited for an echo; no echo"
                    + " can come: start the server again (it makes a new queue) and connect again");
        }
    }

    private IOException appendFailed(String what, Throwable e) {
        if (ChronicleDirectory.isNoSpace(e)) {
            return queues.noSpace("the client could not append " + what + " to "
                    + queues.path().resolve(ChronicleDirectory.REQUESTS) + "; nothing of it was queued", e);
        }
        return new IOException(name() + ": could not append " + what + ": " + e, e);
    }

    private IOException noEcho(int got, int wanted) throws IOException {
        checkFilesStillThere();
        OptionalLong server = serverPid();
        String why = server.isPresent()
                ? "the server (pid " + server.getAsLong() + ") is running but did not answer"
                : "no server is serving " + queues.path() + "; the requests stay queued until one starts";
        long free = queues.usableBytes();
        long stillToCome = wanted - got + ChronicleFrames.RESPONSE_HEADER_BYTES;
        if (free >= 0 && free < stillToCome) {
            // The likely reason: the echo did not fit, and the server stopped with "no space left" (see its log).
            return queues.noSpace("no echo for " + timeoutNs / 1_000_000 + " ms, " + got + " of " + wanted
                    + " bytes came back, and the rest needs " + ChronicleDirectory.bytes(stillToCome), null);
        }
        return new IOException(name() + ": no echo for " + timeoutNs / 1_000_000 + " ms (" + got + " of " + wanted
                + " bytes came back): " + why);
    }

    @Override
    protected void doFinishSending() throws IOException {
        if (!finished) {
            appendControl(ChronicleFrames.BYE, 0);
            finished = true;
        }
    }

    private void appendControl(int kind, long value) throws IOException {
        space.ensureRoomFor(kind, sent, 0);
        DocumentContext dc = appender.writingDocument();
        try {
            Bytes<?> bytes = dc.wire().bytes();
            bytes.writeLong(clientId);
            bytes.writeInt(kind);
            bytes.writeLong(sent);
            if (kind == ChronicleFrames.HELLO) {
                bytes.writeLong(value);
            }
            ChronicleDirectory.touchEnd(bytes);
        } catch (RuntimeException | Error e) {
            dc.rollbackOnClose();
            throw appendFailed(ChronicleFrames.kindName(kind), e);
        } finally {
            dc.close();
        }
    }

    @Override
    protected int inlineRoundTripBytes() {
        // A queue has no buffer to fill: the whole message can be appended before its echo is read.
        return Integer.MAX_VALUE;
    }

    @Override
    protected void doClose() throws IOException {
        copying.awaitNoCopy();   // munmap(2) under a running copy would kill the JVM (see ChronicleCopyGuard)
        IOException bye = null;
        try {
            doFinishSending();
        } catch (IOException | RuntimeException e) {
            bye = e instanceof IOException io ? io : new IOException(e);
        }
        if (current != null) {
            finishCurrent();
        }
        try {
            Closer.closeAll(appender, tailer, queues);
        } catch (IOException e) {
            if (bye != null) {
                e.addSuppressed(bye);
            }
            throw e;
        }
    }
}

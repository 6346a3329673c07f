package org.ipclab.sysv;

import static org.ipclab.sysv.SysvNative.EAGAIN;
import static org.ipclab.sysv.SysvNative.EIDRM;
import static org.ipclab.sysv.SysvNative.EINTR;
import static org.ipclab.sysv.SysvNative.EINVAL;
import static org.ipclab.sysv.SysvNative.ENOENT;
import static org.ipclab.sysv.SysvNative.ENOMSG;
import static org.ipclab.sysv.SysvNative.IPC_NOWAIT;
import static org.ipclab.sysv.SysvNative.MTYPE_BYTES;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import org.ipclab.core.AbstractEchoClient;
import org.ipclab.core.NoPeerException;

/**
 * A client of a {@link SysvMqEchoServer}: it sends requests of type 1 that carry its own reply type, and takes from
 * the same queue only the messages of that type (the protocol is in {@link SysvMqProtocol}). Bytes are a stream, as
 * with a socket: a send longer than a message is split, and a receive takes bytes from as many messages as needed.
 *
 * <p>Bounded waits: msgrcv blocks with no timeout, so {@link SysvMqWakeUps} ends a receive that has slept up to
 * {@value #LIVENESS_CHECK_MS} ms; the client checks the time left and whether the server lives, and sleeps again. A
 * send finds the queue full only rarely: it then retries with IPC_NOWAIT and short sleeps until the timeout.
 */
public final class SysvMqEchoClient extends AbstractEchoClient {

    static final long LIVENESS_CHECK_MS = 200;
    private static final long CLOSE_WAIT_MS = 1000;
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String serverName;
    private final int msqid;
    private final long replyType;
    private final int maxChunk;
    private final long timeoutMs;
    private int serverPid;

    // send side (one sender at a time): mtype | tag | payload, filled by plain Java copies, sent by msgsnd
    private final SysvNative.NativeBuffer outbound;
    private volatile long sentBytes;
    private volatile boolean sendingFinished;

    // receive side: the last message, and how much of it was handed out
    private final SysvNative.NativeBuffer inbound;
    private int inboundPosition;
    private int inboundLimit;
    private boolean echoEnded;
    private volatile long receivedBytes;

    private final SysvMqWakeUps wakeUps;

    private SysvMqEchoClient(String serverName, int msqid, long replyType, int msgmax, Duration timeout) {
        super("sysv-mq server '" + serverName + "'", timeout);
        this.serverName = serverName;
        this.msqid = msqid;
        this.replyType = replyType;
        this.maxChunk = msgmax - SysvMqProtocol.TAG_BYTES;
        this.timeoutMs = Math.max(1, timeout.toMillis());
        this.outbound = SysvNative.allocateBuffer(MTYPE_BYTES + msgmax);
        this.inbound = SysvNative.allocateBuffer(MTYPE_BYTES + msgmax);
        outbound.bytes().putLong(0, SysvMqProtocol.SERVER_TYPE);
        this.wakeUps = new SysvMqWakeUps(msqid, replyType, timeoutMs, LIVENESS_CHECK_MS);
    }

    /**
     * Finds the queue of {@code serverName}'s key, says HELLO and waits for the server's ACK, within {@code timeout}.
     *
     * @throws NoPeerException when there is no such queue, or nobody answers on it
     */
    public static SysvMqEchoClient connect(String serverName, Duration timeout) throws IOException {
        int key = SysvMqProtocol.key(serverName);
        /* msgget(2) without IPC_CREAT: the msqid of the queue that has this key, or ENOENT. */
        int msqid = SysvNative.lib().msgget(key, 0);
        if (msqid < 0) {
            int errno = SysvNative.errno();
            if (errno == ENOENT) {
                throw new NoPeerException("no sysv-mq server named '" + serverName + "' (no queue has key "
                        + SysvMqProtocol.hex(key) + "; see ipcs -q)");
            }
            throw new IOException("msgget(" + SysvMqProtocol.hex(key) + ") failed: " + SysvNative.errnoText(errno));
        }
        long replyType = SysvMqProtocol.replyType(SysvNative.pid(), NEXT.getAndIncrement());
        SysvMqEchoClient client = new SysvMqEchoClient(serverName, msqid, replyType, SysvNative.Limits.read().msgmax(), timeout);
        try {
            client.handshake();
            return client;
        } catch (IOException | RuntimeException e) {
            client.wakeUps.stop();
            client.drainOwnMessages();
            throw e;
        }
    }

    private void handshake() throws IOException {
        long giveUpMs = System.currentTimeMillis() + timeoutMs;
        outbound.bytes().putLong(MTYPE_BYTES, -replyType);
        if (!sendUntil(0, giveUpMs, false)) {
            throw new NoPeerException(name() + ": its queue " + msqid + " stayed full for " + timeoutMs
                    + " ms, so nobody is reading it (a killed server leaves its queue; a new server removes it)");
        }
        ByteBuffer ack = ByteBuffer.allocate(SysvMqProtocol.ACK_BYTES).order(java.nio.ByteOrder.nativeOrder());
        int got;
        try {
            got = receiveInto(ack, giveUpMs, false);
        } catch (IOException e) {
            if (isClosed()) {
                throw e;
            }
            got = -1;   // no answer in time
        }
        if (got < ack.capacity()) {
            throw new NoPeerException(name() + " did not answer within " + timeoutMs + " ms: its queue " + msqid
                    + " exists but nobody serves it (a killed server leaves its queue; a new server removes it)");
        }
        receivedBytes = 0;   // the ACK is not part of the echo
        serverPid = ack.getInt(0);
        if (ack.getInt(4) == SysvMqProtocol.STATUS_TOO_MANY_CLIENTS) {
            throw new IOException(name() + " (pid " + serverPid + ") refused this client: it already serves as many"
                    + " clients as it may (raise its --max-connections)");
        }
    }

    public long replyType() {
        return replyType;
    }

    public int msqid() {
        return msqid;
    }

    public int serverPid() {
        return serverPid;
    }

    /** Direct buffers: the bytes go between the caller's buffer and the message with one plain memory copy. */
    @Override
    protected boolean prefersDirectBuffers() {
        return true;
    }

    @Override
    protected int inlineRoundTripBytes() {
        return SysvMqProtocol.WINDOW_BYTES;   // a whole window is echoed into the server's memory, never blocking us
    }

    @Override
    protected void doSend(byte[] src, int offset, int length) throws IOException {
        doSend(ByteBuffer.wrap(src, offset, length));
    }

    @Override
    protected void doSend(ByteBuffer src) throws IOException {
        startSending();
        while (src.hasRemaining()) {   // 0 bytes send nothing: an empty request would mean END
            int chunk = Math.min(maxChunk, src.remaining());
            awaitWindow(chunk);
            outbound.bytes().put(MTYPE_BYTES + SysvMqProtocol.TAG_BYTES, src, src.position(), chunk);
            src.position(src.position() + chunk);
            sendChunk(chunk);
        }
    }

    private void startSending() throws IOException {
        if (sendingFinished) {
            throw new IOException(name() + ": sending is finished (finishSending was called); connect a new client");
        }
        outbound.bytes().putLong(MTYPE_BYTES, replyType);
    }

    private void sendChunk(int chunk) throws IOException {
        ensureOpen();
        if (!sendUntil(chunk, -1, true)) {
            throw new IOException(name() + ": could not send for " + timeoutMs + " ms: queue " + msqid
                    + " stayed full (the server is stuck)");
        }
        sentBytes += chunk;
    }

    /** Waits until the echo of all but a window's worth of what we sent has come back. */
    private void awaitWindow(int chunk) throws IOException {
        if (sentBytes - receivedBytes + chunk <= SysvMqProtocol.WINDOW_BYTES) {
            return;   // the usual case
        }
        SysvMqPoll poll = new SysvMqPoll(timeoutMs, -1, this::checkServerAlive);
        while (sentBytes - receivedBytes + chunk > SysvMqProtocol.WINDOW_BYTES) {
            if (!poll.pause()) {
                throw new IOException(name() + ": " + (sentBytes - receivedBytes) + " B sent were not read back for "
                        + timeoutMs + " ms; read the echo while sending (at most " + SysvMqProtocol.WINDOW_BYTES
                        + " B may be in flight)");
            }
        }
    }

    /**
     * msgsnd of {@code length} payload bytes (after the tag) from {@link #outbound}, IPC_NOWAIT, retried with short
     * sleeps while the queue is full (EAGAIN) until {@code giveUpMs} (-1: the timeout from the first EAGAIN); false
     * when it stayed full.
     */
    private boolean sendUntil(int length, long giveUpMs, boolean checkServer) throws IOException {
        SysvMqPoll poll = null;
        while (true) {
            /* msgsnd(2) copies the message into the queue. With IPC_NOWAIT a full queue (msg_qbytes reached)
             * answers EAGAIN at once instead of putting us to sleep. */
            if (SysvNative.lib().msgsnd(msqid, outbound.pointer(), SysvMqProtocol.TAG_BYTES + length, IPC_NOWAIT) == 0) {
                return true;
            }
            int errno = SysvNative.errno();
            if (errno == EIDRM || errno == EINVAL) {
                throw serverGone();
            }
            if (errno != EAGAIN && errno != EINTR) {
                throw new IOException(name() + ": msgsnd failed: " + SysvNative.errnoText(errno));
            }
            if (poll == null) {
                poll = new SysvMqPoll(timeoutMs, giveUpMs, checkServer ? this::checkServerAlive : null);
            }
            if (!poll.pause()) {
                return false;
            }
        }
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        doReceive(ByteBuffer.wrap(dst, offset, length));
    }

    @Override
    protected void doReceive(ByteBuffer dst) throws IOException {
        int length = dst.remaining();
        int got = receiveInto(dst, -1, true);
        if (got < length) {
            throw new IOException(name() + " ended the echo after " + got + " of " + length + " bytes (it was"
                    + " stopped, or closed this client after finishSending or an idle time)");
        }
    }

    /**
     * Fills {@code dst} from the reply stream, one plain copy per message; returns fewer bytes at the end of the echo.
     *
     * @param giveUpMs the deadline for the whole receive, or -1 for {@link #timeoutMs} per message
     */
    private int receiveInto(ByteBuffer dst, long giveUpMs, boolean checkServer) throws IOException {
        int got = 0;
        int length = dst.remaining();
        while (dst.hasRemaining()) {
            if (inboundPosition == inboundLimit && (echoEnded || !awaitMessage(giveUpMs, checkServer, got, length))) {
                echoEnded = true;
                return got;
            }
            int chunk = Math.min(inboundLimit - inboundPosition, dst.remaining());
            dst.put(dst.position(), inbound.bytes(), MTYPE_BYTES + inboundPosition, chunk);
            dst.position(dst.position() + chunk);
            inboundPosition += chunk;
            got += chunk;
        }
        return got;
    }

    /**
     * Takes the next message of our type into {@link #inbound}; false at the end of the echo.
     *
     * @param giveUpMs the deadline, or -1 for {@link #timeoutMs} from the start of this wait (the clock is read
     *                 only once the watchdog has woken us: a message that comes at once costs no clock read)
     */
    private boolean awaitMessage(long giveUpMs, boolean checkServer, int got, int wanted) throws IOException {
        while (true) {
            /* msgrcv(2) for our own reply type: the kernel skips every other client's messages and the requests,
             * and sleeps until one of ours is there. */
            long n;
            wakeUps.receiving().enter();
            try {
                n = SysvNative.lib().msgrcv(msqid, inbound.pointer(), maxChunk + SysvMqProtocol.TAG_BYTES, replyType, 0);
            } finally {
                wakeUps.receiving().leave();
            }
            if (n > 0) {
                receivedBytes += n;
                inboundPosition = 0;
                inboundLimit = (int) n;
                return true;
            }
            if (n < 0) {
                int errno = SysvNative.errno();
                if (errno == EIDRM || errno == EINVAL) {
                    throw serverGone();
                }
                if (errno != EINTR) {
                    throw new IOException(name() + ": msgrcv failed: " + SysvNative.errnoText(errno));
                }
            } else if (!wakeUps.takeOne()) {   // not our watchdog's: the server's end of echo
                return false;
            }
            ensureOpen();
            if (giveUpMs < 0) {   // woken once: we have waited about wakeAfterMs already
                giveUpMs = System.currentTimeMillis() + timeoutMs - wakeUps.wakeAfterMs();
            }
            if (System.currentTimeMillis() >= giveUpMs) {
                throw new IOException(name() + ": no echo for " + timeoutMs + " ms (" + got + " of " + wanted
                        + " bytes came back)" + (serverPid > 0 ? " although the server (pid " + serverPid + ") is alive" : ""));
            }
            if (checkServer) {
                checkServerAlive();
            }
        }
    }

    private void checkServerAlive() throws IOException {
        ensureOpen();
        if (serverPid != 0 && !SysvNative.isAlive(serverPid)) {
            throw new IOException(name() + ": the server (pid " + serverPid + ") has exited; its queue " + msqid
                    + " stays until a new server of that name starts (or ipcrm -q " + msqid + ")");
        }
    }

    private IOException serverGone() {
        return new IOException(name() + ": the server stopped (its queue " + msqid + " was removed)");
    }

    @Override
    protected void doFinishSending() throws IOException {
        if (!sendEnd(timeoutMs, true)) {
            throw new IOException(name() + ": could not send END for " + timeoutMs + " ms (the queue stayed full)");
        }
    }

    /** END, once: a request with no payload, after all our data; false when the queue stayed full. */
    private boolean sendEnd(long waitMs, boolean checkServer) throws IOException {
        if (sendingFinished) {
            return true;
        }
        sendingFinished = true;
        outbound.bytes().putLong(MTYPE_BYTES, replyType);
        return sendUntil(0, System.currentTimeMillis() + waitMs, checkServer);
    }

    @Override
    protected void doClose() throws IOException {
        wakeUps.stop();
        // A reader asleep in msgrcv on another thread is woken (it finds us closed) before we read our own type
        // here: otherwise we might take its wake-up and leave it asleep with nothing left to wake it.
        long giveUpMs = System.currentTimeMillis() + CLOSE_WAIT_MS;
        while (wakeUps.receiving().inside() && System.currentTimeMillis() < giveUpMs) {
            if (!wakeUps.anyAsked()) {
                wakeUps.wake();
            }
            SysvMqQueues.sleepMs(2);
        }
        try {
            if (!echoEnded && serverPid != 0 && SysvNative.isAlive(serverPid)) {
                sendEnd(CLOSE_WAIT_MS, false);
                awaitEndOfEcho();
            }
        } catch (IOException ignored) {
            // the server is gone: it took our messages with its queue, or will when the next server reclaims it
        } finally {
            drainOwnMessages();
        }
    }

    /** After END, reads and drops what is still coming for us, so that nothing of ours stays in the queue. */
    private void awaitEndOfEcho() {
        long giveUp = System.currentTimeMillis() + CLOSE_WAIT_MS;
        while (System.currentTimeMillis() < giveUp) {
            long n = takeOwnNow();
            if (n == 0 && !wakeUps.takeOne()) {
                return;   // the server's end of echo
            }
            if (n < 0) {
                int errno = SysvNative.errno();
                if (errno != ENOMSG && errno != EINTR) {
                    return;
                }
                SysvMqQueues.sleepMs(1);
            }
        }
    }

    private void drainOwnMessages() {
        while (takeOwnNow() >= 0) {
            // dropped: an echo nobody will read, or a wake-up
        }
    }

    /** msgrcv(2) of our type with IPC_NOWAIT: a message if one is queued, else -1 (ENOMSG) at once. */
    private long takeOwnNow() {
        return SysvNative.lib().msgrcv(msqid, inbound.pointer(), maxChunk + SysvMqProtocol.TAG_BYTES, replyType, IPC_NOWAIT);
    }

    @Override
    public String toString() {
        return "sysv-mq client (reply type " + replyType + ") of server '" + serverName + "' on queue " + msqid;
    }
}

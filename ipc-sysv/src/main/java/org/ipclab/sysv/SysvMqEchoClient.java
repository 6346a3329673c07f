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
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import jnr.ffi.Pointer;
import org.ipclab.core.AbstractEchoClient;
import org.ipclab.core.NoPeerException;
import org.ipclab.core.Watchdog;

/**
 * A client of a {@link SysvMqEchoServer}: it sends requests of type 1 that carry its own reply type, and takes from
 * the same queue only the messages of that type (the protocol is in {@link SysvMqProtocol}). Bytes are a stream, as
 * with a socket: a send longer than a message is split, and a receive takes bytes from as many messages as needed.
 *
 * <p>Bounded waits: msgrcv blocks with no timeout, so a watchdog ends a receive that has slept
 * {@value #LIVENESS_CHECK_MS} ms with an empty message of this client's own type; the client counts the wake-ups it
 * asked for, so it tells them from the server's (also empty) end of echo, checks the time left and whether the server
 * still lives, and sleeps again. A send finds the queue full only rarely: it then retries with IPC_NOWAIT and short
 * sleeps until the timeout.
 */
public final class SysvMqEchoClient extends AbstractEchoClient {

    static final long LIVENESS_CHECK_MS = 200;
    private static final long WATCH_PERIOD_MS = 20;
    private static final long CLOSE_WAIT_MS = 1000;
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String serverName;
    private final int msqid;
    private final long replyType;
    private final int maxChunk;
    private final long timeoutMs;
    private int serverPid;

    // send side (one sender at a time)
    private final Pointer outbound;
    private volatile long sentBytes;
    private volatile boolean sendingFinished;

    // receive side: the last message, and how much of it was handed out
    private final Pointer inbound;
    private int inboundPosition;
    private int inboundLimit;
    private boolean echoEnded;
    private volatile long receivedBytes;

    // the watchdog's wake-ups
    private final Pointer wake = SysvNative.allocate(MTYPE_BYTES);
    private final AtomicInteger wakesAsked = new AtomicInteger();
    private volatile long receiveSleepingSinceNs;
    private final long wakeAfterNs;
    private final ScheduledFuture<?> watch;

    private SysvMqEchoClient(String serverName, int msqid, long replyType, int msgmax, Duration timeout) {
        super("sysv-mq server '" + serverName + "'", timeout);
        this.serverName = serverName;
        this.msqid = msqid;
        this.replyType = replyType;
        this.maxChunk = msgmax - SysvMqProtocol.TAG_BYTES;
        this.timeoutMs = Math.max(1, timeout.toMillis());
        this.outbound = SysvNative.allocate(MTYPE_BYTES + msgmax);
        this.inbound = SysvNative.allocate(MTYPE_BYTES + msgmax);
        outbound.putLong(0, SysvMqProtocol.SERVER_TYPE);
        wake.putLong(0, replyType);
        this.wakeAfterNs = TimeUnit.MILLISECONDS.toNanos(Math.min(LIVENESS_CHECK_MS, Math.max(5, timeoutMs / 10)));
        this.watch = Watchdog.every(Math.min(WATCH_PERIOD_MS, Math.max(1, timeoutMs / 20)), this::wakeASleepingReceive);
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
            client.watch.cancel(false);
            client.drainOwnMessages();
            throw e;
        }
    }

    private void handshake() throws IOException {
        long giveUpMs = System.currentTimeMillis() + timeoutMs;
        outbound.putLong(MTYPE_BYTES, -replyType);
        if (!sendUntil(0, giveUpMs, false)) {
            throw new NoPeerException(name() + ": its queue " + msqid + " stayed full for " + timeoutMs
                    + " ms, so nobody is reading it (a killed server leaves its queue; a new server removes it)");
        }
        byte[] ack = new byte[SysvMqProtocol.ACK_BYTES];
        int got;
        try {
            got = receiveInto(ack, 0, ack.length, giveUpMs, false);
        } catch (IOException e) {
            if (isClosed()) {
                throw e;
            }
            got = -1;   // no answer in time
        }
        if (got < ack.length) {
            throw new NoPeerException(name() + " did not answer within " + timeoutMs + " ms: its queue " + msqid
                    + " exists but nobody serves it (a killed server leaves its queue; a new server removes it)");
        }
        receivedBytes = 0;   // the ACK is not part of the echo
        java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(ack).order(java.nio.ByteOrder.nativeOrder());
        serverPid = b.getInt(0);
        if (b.getInt(4) == SysvMqProtocol.STATUS_TOO_MANY_CLIENTS) {
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

    @Override
    protected int inlineRoundTripBytes() {
        return SysvMqProtocol.WINDOW_BYTES;   // a whole window is echoed into the server's memory, never blocking us
    }

    @Override
    protected void doSend(byte[] src, int offset, int length) throws IOException {
        if (sendingFinished) {
            throw new IOException(name() + ": sending is finished (finishSending was called); connect a new client");
        }
        outbound.putLong(MTYPE_BYTES, replyType);
        int end = offset + length;
        while (offset < end) {   // 0 bytes send nothing: an empty request would mean END
            ensureOpen();
            int chunk = Math.min(maxChunk, end - offset);
            long giveUpMs = System.currentTimeMillis() + timeoutMs;
            awaitWindow(chunk, giveUpMs);
            outbound.put(MTYPE_BYTES + SysvMqProtocol.TAG_BYTES, src, offset, chunk);
            if (!sendUntil(chunk, giveUpMs, true)) {
                throw new IOException(name() + ": could not send for " + timeoutMs + " ms: queue " + msqid
                        + " stayed full (the server is stuck)");
            }
            sentBytes += chunk;
            offset += chunk;
        }
    }

    /** Waits until the echo of all but a window's worth of what we sent has come back. */
    private void awaitWindow(int chunk, long giveUpMs) throws IOException {
        long backoffNs = 0;
        long nextCheckMs = System.currentTimeMillis() + LIVENESS_CHECK_MS;
        while (sentBytes - receivedBytes + chunk > SysvMqProtocol.WINDOW_BYTES) {
            long now = System.currentTimeMillis();
            if (now >= giveUpMs) {
                throw new IOException(name() + ": " + (sentBytes - receivedBytes) + " B sent were not read back for "
                        + timeoutMs + " ms; read the echo while sending (at most " + SysvMqProtocol.WINDOW_BYTES
                        + " B may be in flight)");
            }
            if (now >= nextCheckMs) {
                checkServerAlive();
                nextCheckMs = now + LIVENESS_CHECK_MS;
            }
            backoffNs = Math.min(1_000_000, Math.max(20_000, backoffNs * 2));
            LockSupport.parkNanos(backoffNs);
        }
    }

    /**
     * msgsnd of {@code length} payload bytes (after the tag) from {@link #outbound}, IPC_NOWAIT, retried with short
     * sleeps while the queue is full (EAGAIN) until {@code giveUpMs}; false when it stayed full.
     */
    private boolean sendUntil(int length, long giveUpMs, boolean checkServer) throws IOException {
        long backoffNs = 0;
        long nextCheckMs = System.currentTimeMillis() + LIVENESS_CHECK_MS;
        while (true) {
            /* msgsnd(2) copies the message into the queue. With IPC_NOWAIT a full queue (msg_qbytes reached)
             * answers EAGAIN at once instead of putting us to sleep. */
            if (SysvNative.lib().msgsnd(msqid, outbound, SysvMqProtocol.TAG_BYTES + length, IPC_NOWAIT) == 0) {
                return true;
            }
            int errno = SysvNative.errno();
            if (errno == EIDRM || errno == EINVAL) {
                throw serverGone();
            }
            if (errno != EAGAIN && errno != EINTR) {
                throw new IOException(name() + ": msgsnd failed: " + SysvNative.errnoText(errno));
            }
            long now = System.currentTimeMillis();
            if (now >= giveUpMs) {
                return false;
            }
            if (checkServer && now >= nextCheckMs) {
                checkServerAlive();
                nextCheckMs = now + LIVENESS_CHECK_MS;
            }
            backoffNs = Math.min(1_000_000, Math.max(20_000, backoffNs * 2));
            LockSupport.parkNanos(backoffNs);
        }
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        int got = receiveInto(dst, offset, length, -1, true);
        if (got < length) {
            throw new IOException(name() + " ended the echo after " + got + " of " + length + " bytes (it was"
                    + " stopped, or closed this client after finishSending or an idle time)");
        }
    }

    /**
     * Copies {@code length} bytes of the reply stream into {@code dst}; returns fewer at the end of the echo.
     *
     * @param giveUpMs the deadline for the whole receive, or -1 for {@link #timeoutMs} per message
     */
    private int receiveInto(byte[] dst, int offset, int length, long giveUpMs, boolean checkServer) throws IOException {
        int got = 0;
        while (got < length) {
            if (inboundPosition == inboundLimit) {
                if (echoEnded || !awaitMessage(giveUpMs < 0 ? System.currentTimeMillis() + timeoutMs : giveUpMs,
                        checkServer, got, length)) {
                    echoEnded = true;
                    return got;
                }
            }
            int chunk = Math.min(inboundLimit - inboundPosition, length - got);
            inbound.get(MTYPE_BYTES + inboundPosition, dst, offset + got, chunk);
            inboundPosition += chunk;
            got += chunk;
        }
        return got;
    }

    /** Takes the next message of our type into {@link #inbound}; false at the end of the echo. */
    private boolean awaitMessage(long giveUpMs, boolean checkServer, int got, int wanted) throws IOException {
        while (true) {
            /* msgrcv(2) for our own reply type: the kernel skips every other client's messages and the requests,
             * and sleeps until one of ours is there. */
            receiveSleepingSinceNs = System.nanoTime();
            long n = SysvNative.lib().msgrcv(msqid, inbound, maxChunk + SysvMqProtocol.TAG_BYTES, replyType, 0);
            receiveSleepingSinceNs = 0;
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
            } else if (wakesAsked.get() > 0) {
                wakesAsked.decrementAndGet();   // our watchdog's, not the server's end of echo
            } else {
                return false;
            }
            ensureOpen();
            if (System.currentTimeMillis() >= giveUpMs) {
                throw new IOException(name() + ": no echo for " + timeoutMs + " ms (" + got + " of " + wanted
                        + " bytes came back)" + (serverPid > 0 ? " although the server (pid " + serverPid + ") is alive" : ""));
            }
            if (checkServer) {
                checkServerAlive();
            }
        }
    }

    /** Watchdog: an empty message of our own type ends a msgrcv that has slept a liveness period. */
    private void wakeASleepingReceive() {
        long since = receiveSleepingSinceNs;
        if (since == 0 || System.nanoTime() - since < wakeAfterNs
                || wakesAsked.get() > 0) {
            return;
        }
        wakeReceiver();
    }

    private void wakeReceiver() {
        wakesAsked.incrementAndGet();   // before the message: the receiver may get it at once
        if (SysvNative.lib().msgsnd(msqid, wake, 0, IPC_NOWAIT) != 0) {
            wakesAsked.decrementAndGet();
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
        if (sendingFinished) {
            return;
        }
        sendingFinished = true;
        outbound.putLong(MTYPE_BYTES, replyType);   // END: a request with no payload, after all our data
        if (!sendUntil(0, System.currentTimeMillis() + timeoutMs, true)) {
            throw new IOException(name() + ": could not send END for " + timeoutMs + " ms (the queue stayed full)");
        }
    }

    @Override
    protected void doClose() throws IOException {
        watch.cancel(false);
        // A reader asleep in msgrcv on another thread is woken (it finds us closed) before we read our own type
        // here: otherwise we might take its wake-up and leave it asleep with nothing left to wake it.
        long giveUpMs = System.currentTimeMillis() + CLOSE_WAIT_MS;
        while (receiveSleepingSinceNs != 0 && System.currentTimeMillis() < giveUpMs) {
            if (wakesAsked.get() == 0) {
                wakeReceiver();
            }
            SysvMqQueues.sleepMs(2);
        }
        try {
            if (!echoEnded && serverPid != 0 && SysvNative.isAlive(serverPid)) {
                if (!sendingFinished) {
                    sendingFinished = true;
                    outbound.putLong(MTYPE_BYTES, replyType);
                    sendUntil(0, System.currentTimeMillis() + CLOSE_WAIT_MS, false);
                }
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
            long n = SysvNative.lib().msgrcv(msqid, inbound, maxChunk + SysvMqProtocol.TAG_BYTES, replyType, IPC_NOWAIT);
            if (n == 0 && wakesAsked.get() == 0) {
                return;
            }
            if (n == 0) {
                wakesAsked.decrementAndGet();
            } else if (n < 0) {
                int errno = SysvNative.errno();
                if (errno != ENOMSG && errno != EINTR) {
                    return;
                }
                SysvMqQueues.sleepMs(1);
            }
        }
    }

    private void drainOwnMessages() {
        while (SysvNative.lib().msgrcv(msqid, inbound, maxChunk + SysvMqProtocol.TAG_BYTES, replyType, IPC_NOWAIT) >= 0) {
            // dropped: an echo nobody will read, or a wake-up
        }
    }

    @Override
    public String toString() {
        return "sysv-mq client (reply type " + replyType + ") of server '" + serverName + "' on queue " + msqid;
    }
}

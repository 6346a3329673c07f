package org.ipclab.sysv;

import static org.ipclab.sysv.SysvNative.EAGAIN;
import static org.ipclab.sysv.SysvNative.EIDRM;
import static org.ipclab.sysv.SysvNative.EINTR;
import static org.ipclab.sysv.SysvNative.EINVAL;
import static org.ipclab.sysv.SysvNative.ENOMSG;
import static org.ipclab.sysv.SysvNative.IPC_NOWAIT;
import static org.ipclab.sysv.SysvNative.MTYPE_BYTES;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import jnr.ffi.Pointer;
import org.ipclab.core.BlockedCall;
import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.Watchdog;

/**
 * An echo server on one System V message queue: one thread takes every client's requests (mtype
 * {@value SysvMqProtocol#SERVER_TYPE}) and sends each payload back as a message of that client's own type, into the
 * same queue (the protocol is in {@link SysvMqProtocol}).
 *
 * <p>The queue is small and shared: requests and replies of every client together may hold msg_qbytes bytes
 * (msgmnb, 16 KiB by default). If replies filled it, no client could send, and the server would wait for requests
 * that cannot come. So replies may take at most half of it; an echo that does not fit now waits in the server's
 * memory (up to {@link SysvMqProtocol#WINDOW_BYTES} per client) and is sent when the clients have read theirs.
 *
 * <p>A queue has no connections: clients say HELLO and END; one that dies without END is noticed by its pid (read
 * from its reply type; kill(pid, 0) every {@value #TICK_MS} ms) and what was queued for it is removed.
 *
 * <p>The queue outlives every process until msgctl(IPC_RMID): {@link #close()} removes it (the command line's shutdown
 * hook calls it on Ctrl-C); one left by a server that was SIGKILLed is found and removed by the next server of that
 * name ({@link #open}).
 */
public final class SysvMqEchoServer implements EchoServer {

    /** How often the server looks at its clients when no message arrives, and how soon it notices close(). */
    static final long TICK_MS = 200;

    /** A client whose echo has waited this long without it reading any (the queue stays full) is dropped. */
    static final long STALL_TIMEOUT_MS = 10_000;

    /** How long a new server waits for an answer from a server that may still own the queue it found. */
    static final long PROBE_MS = 1000;

    private final String name;
    private final int key;
    private final int msqid;
    private final SysvNative.Limits limits;
    private final long queueBytes;
    private final int maxChunk;
    private final Consumer<String> log;
    private final long idleTimeoutMs;
    private final int maxClients;
    private final int pid;
    private final Thread loop;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private final AtomicBoolean closeRequested = new AtomicBoolean();

    // the loop thread's
    private final Pointer inbound;      // mtype | tag | payload, as msgrcv fills it
    private final Pointer replyInPlace; // inbound + 8: mtype written over the tag, payload untouched: the echo, no copy
    private final SysvMqReplies replies;
    private final Pointer outbound;     // the replies' buffer: the ACK is built in it, a dropped client's messages land in it
    private final List<SysvMqSession> sessions = new ArrayList<>();
    private long unknownTag;

    // the wake-up: the loop's msgrcv has no timeout, so a message of the server's own type ends it; the ticker
    // counts its checks of one blocking msgrcv instead of the loop reading a clock around every call
    private static final int CHECKS_PER_TICK = 4;
    private final BlockedCall receiving = new BlockedCall();
    private final AtomicBoolean wakeQueued = new AtomicBoolean();
    private final Pointer wake = SysvNative.allocate(MTYPE_BYTES + SysvMqProtocol.TAG_BYTES);
    private final ScheduledFuture<?> ticking;

    private SysvMqEchoServer(String name, int key, int msqid, SysvNative.Limits limits, long queueBytes,
                             ServerSettings settings) {
        this.name = name;
        this.key = key;
        this.msqid = msqid;
        this.limits = limits;
        this.queueBytes = queueBytes;
        this.maxChunk = limits.msgmax() - SysvMqProtocol.TAG_BYTES;
        this.log = settings.log();
        this.idleTimeoutMs = settings.idleTimeout().toMillis();
        this.maxClients = settings.maxConnections();
        this.pid = SysvNative.pid();
        this.inbound = SysvNative.allocate(MTYPE_BYTES + limits.msgmax());
        this.replyInPlace = inbound.slice(SysvMqProtocol.TAG_BYTES);
        this.replies = new SysvMqReplies(msqid, queueBytes, maxChunk, limits.msgmax());
        this.outbound = replies.buffer();
        wake.putLong(0, SysvMqProtocol.SERVER_TYPE);
        wake.putLong(MTYPE_BYTES, 0);
        this.ticking = Watchdog.every(TICK_MS / CHECKS_PER_TICK, this::wakeASleepingLoop);
        this.loop = new Thread(this::run, "sysv-mq-server " + name);
        loop.setDaemon(true);
        loop.start();
    }

    /** Makes (or reclaims) the queue of {@code name}'s key, mode 0600, and starts serving. */
    public static SysvMqEchoServer open(String name, ServerSettings settings) throws IOException {
        SysvMqProtocol.checkName(name);
        SysvNative.Limits limits = SysvNative.Limits.read();
        if (limits.msgmax() <= SysvMqProtocol.TAG_BYTES + SysvMqProtocol.ACK_BYTES) {
            throw new IOException("kernel.msgmax is only " + limits.msgmax() + " B; sysv-mq needs more than "
                    + (SysvMqProtocol.TAG_BYTES + SysvMqProtocol.ACK_BYTES));
        }
        int key = SysvMqProtocol.key(name);
        int msqid = SysvMqQueues.claim(name, key, settings.log());
        try {
            SysvNative.Status status = SysvNative.status(msqid)
                    .orElseThrow(() -> new IOException("the new queue " + msqid + " vanished (removed with ipcrm?)"));
            return new SysvMqEchoServer(name, key, msqid, limits, status.qbytes(), settings);
        } catch (IOException | RuntimeException | Error e) {
            SysvNative.remove(msqid);
            throw e;
        }
    }

    /** The queue, the kernel's limits and how to look at it, for the server's first lines. */
    public String describe() {
        return "queue key " + SysvMqProtocol.hex(key) + " (from the name), msqid " + msqid + ", mode 0600, msg_qbytes "
                + queueBytes + " B; echoes above " + maxChunk + " B go as several messages\n" + limits.describe()
                + "\nsee it: ipcs -q -i " + msqid + "; cat /proc/sysvipc/msg";
    }

    public int msqid() {
        return msqid;
    }

    public int key() {
        return key;
    }

    public SysvNative.Limits limits() {
        return limits;
    }

    @Override
    public String endpoint() {
        return name;
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() throws IOException {
        if (!closeRequested.compareAndSet(false, true)) {
            return;
        }
        running = false;
        wakeLoop();
        try {
            if (!stopped.await(5, TimeUnit.SECONDS)) {
                log.accept("server thread did not stop within 5 s; removing the queue anyway");
                SysvNative.remove(msqid);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ticker: ends a msgrcv that has slept for a tick, so that the loop does its housekeeping. */
    private void wakeASleepingLoop() {
        if (receiving.stuckFor(CHECKS_PER_TICK)) {   // the same msgrcv, asleep for a whole tick
            wakeLoop();
        }
    }

    private void wakeLoop() {
        if (wakeQueued.compareAndSet(false, true)) {
            /* msgsnd(2) of a WAKE message to ourselves: it ends the loop's msgrcv. IPC_NOWAIT: if the queue is
             * full the loop is busy anyway, and will see `running` soon. */
            if (SysvNative.lib().msgsnd(msqid, wake, SysvMqProtocol.TAG_BYTES, IPC_NOWAIT) != 0) {
                wakeQueued.set(false);
            }
        }
    }

    /*
     * Bounded waits. msgrcv(2) has no timeout. The choices: (a) IPC_NOWAIT and sleep between tries, which bounds
     * every wait but costs a wake-up per try while idle and adds up to one sleep to every latency; (b) a blocking
     * msgrcv ended from outside by a message of the waiter's own type, as here. (b) makes exactly the calls the C
     * floor makes on the hot path; its cost is one small message per tick while idle. The loop only falls back to
     * (a), with sleeps from 20 µs to 1 ms, while some client's echo waits for room in the queue.
     */
    private void run() {
        long nextHousekeepingMs = System.currentTimeMillis() + TICK_MS;
        long backoffNs = 0;
        try {
            while (running) {
                boolean backlog = flushBacklogs();
                long n;
                if (backlog) {
                    n = SysvNative.lib().msgrcv(msqid, inbound, limits.msgmax(), SysvMqProtocol.SERVER_TYPE, IPC_NOWAIT);
                } else {
                    /* msgrcv(2) for type 1: the kernel hands us the oldest request of any client, and sleeps while
                     * there is none (the replies in the queue, of other types, do not wake us). Watch it:
                     * `ipcs -q` (used-bytes, messages), `strace -f -e trace=msgsnd,msgrcv -p <pid>`. */
                    receiving.enter();
                    try {
                        n = SysvNative.lib().msgrcv(msqid, inbound, limits.msgmax(), SysvMqProtocol.SERVER_TYPE, 0);
                    } finally {
                        receiving.leave();
                    }
                }
                long now = System.currentTimeMillis();
                if (n >= 0) {
                    backoffNs = 0;
                    handle((int) n, now);
                } else {
                    int errno = SysvNative.errno();
                    if (errno == ENOMSG) {
                        backoffNs = Math.min(1_000_000, Math.max(20_000, backoffNs * 2));
                        LockSupport.parkNanos(backoffNs);
                    } else if (errno == EIDRM || errno == EINVAL) {
                        log.accept("server stopped: its queue " + msqid + " was removed from outside (ipcrm?)");
                        return;
                    } else if (errno != EINTR) {
                        log.accept("server stopped: msgrcv failed: " + SysvNative.errnoText(errno));
                        return;
                    }
                }
                if (now >= nextHousekeepingMs) {
                    housekeeping(now);
                    nextHousekeepingMs = now + TICK_MS;
                }
            }
        } catch (RuntimeException | Error e) {
            log.accept("server stopped: " + e);
            throw e;
        } finally {
            ticking.cancel(false);
            if (SysvNative.remove(msqid)) {
                log.accept("Removed queue " + msqid + " (key " + SysvMqProtocol.hex(key) + ")");
            }
            stopped.countDown();
        }
    }

    private void handle(int length, long now) {
        if (length < SysvMqProtocol.TAG_BYTES) {
            log.accept("Ignored a " + length + "-byte message of type 1: it is not an ipc-lab request");
            return;
        }
        long tag = inbound.getLong(MTYPE_BYTES);
        if (tag == 0) {
            wakeQueued.set(false);
            return;
        }
        if (tag < 0) {
            hello(-tag, now);
            return;
        }
        SysvMqSession session = find(tag);
        if (session == null) {
            if (tag != unknownTag) {   // once per client, not once per message
                unknownTag = tag;
                log.accept("Dropped a " + length + "-byte request for reply type " + tag + ": no such client (one that"
                        + " was closed or died, or a sender that is not an ipc-lab client)");
            }
            return;
        }
        session.lastActivityMs = now;
        int payload = length - SysvMqProtocol.TAG_BYTES;
        if (payload == 0) {
            session.endPending = true;
            flush(session);
            return;
        }
        if (session.idle() && replies.roomFor(payload)) {
            /* msgsnd(2) of the echo as a message of the client's type, straight from the buffer msgrcv filled. */
            replyInPlace.putLong(0, session.replyType);
            if (SysvNative.lib().msgsnd(msqid, replyInPlace, payload, IPC_NOWAIT) == 0) {
                replies.sent(payload);
                session.echoedBytes += payload;
                return;
            }
            int errno = SysvNative.errno();
            if (errno != EAGAIN && errno != EINTR) {
                drop(session, "Closed client pid " + session.clientPid + ": msgsnd failed: " + SysvNative.errnoText(errno));
                return;
            }
        }
        if (!session.append(inbound, MTYPE_BYTES + SysvMqProtocol.TAG_BYTES, payload)) {
            drop(session, "Closed client pid " + session.clientPid + ": it sent more than "
                    + SysvMqProtocol.WINDOW_BYTES + " B without reading its echo");
        }
    }

    /** Sends what the sessions' backlogs hold, as far as the queue has room; true when some is still waiting. */
    private boolean flushBacklogs() {
        boolean waiting = false;
        for (int i = sessions.size() - 1; i >= 0; i--) {
            SysvMqSession s = sessions.get(i);
            if (!s.idle()) {
                flush(s);
                waiting |= i < sessions.size() && sessions.get(i) == s && !s.idle();
            }
        }
        return waiting;
    }

    /** Sends what {@code s}'s backlog holds, as far as the queue has room; forgets it once its END is sent. */
    private void flush(SysvMqSession s) {
        if (replies.flush(s)) {
            sessions.remove(s);
            log.accept("Closed client pid " + s.clientPid + ": the client finished sending and every byte was"
                    + " echoed (" + s.echoedBytes + " bytes)");
        }
    }

    private SysvMqSession find(long replyType) {
        for (int i = 0, n = sessions.size(); i < n; i++) {
            SysvMqSession s = sessions.get(i);
            if (s.replyType == replyType) {
                return s;
            }
        }
        return null;
    }

    private void hello(long replyType, long now) {
        if (find(replyType) != null) {
            return;
        }
        SysvMqSession s = new SysvMqSession(replyType, now, SysvMqProtocol.WINDOW_BYTES + 2 * maxChunk + SysvMqProtocol.ACK_BYTES);
        boolean accepted = sessions.size() < maxClients;
        sessions.add(s);
        // The ACK goes through the backlog like any echo: the first 8 bytes of this client's reply stream.
        outbound.putInt(0, pid);
        outbound.putInt(4, accepted ? SysvMqProtocol.STATUS_ACCEPTED : SysvMqProtocol.STATUS_TOO_MANY_CLIENTS);
        s.append(outbound, 0, SysvMqProtocol.ACK_BYTES);
        s.echoedBytes = -SysvMqProtocol.ACK_BYTES;   // the ACK is not echo
        if (accepted) {
            log.accept("Connected by client pid " + s.clientPid + " (reply type " + replyType + ")");
        } else {
            s.endPending = true;
            log.accept("Refused client pid " + s.clientPid + ": already " + (sessions.size() - 1) + " clients (the cap"
                    + " is " + maxClients + "; raise it with --max-connections)");
        }
        flush(s);
    }

    /** Every tick: forget clients that died without END (and what was queued for them), close idle ones. */
    private void housekeeping(long now) {
        for (int i = sessions.size() - 1; i >= 0; i--) {
            SysvMqSession s = sessions.get(i);
            if (!SysvNative.isAlive(s.clientPid)) {
                drop(s, "Client pid " + s.clientPid + " exited without closing; removed its messages");
            } else if (!s.idle() && now - s.lastProgressMs > STALL_TIMEOUT_MS) {
                drop(s, "Closed client pid " + s.clientPid + ": it did not read its echo for "
                        + STALL_TIMEOUT_MS / 1000 + " s (its replies stayed queued)");
            } else if (idleTimeoutMs > 0 && now - s.lastActivityMs > idleTimeoutMs && !s.endPending) {
                s.endPending = true;
                log.accept("Closing client pid " + s.clientPid + ": idle for more than " + idleTimeoutMs + " ms");
                flush(s);
            }
        }
    }

    /** Forgets a client and takes out of the queue whatever was sent to it, so nobody's bytes fill it for good. */
    private void drop(SysvMqSession s, String why) {
        sessions.remove(s);
        /* msgrcv(2) of the client's type with IPC_NOWAIT until ENOMSG: the messages nobody will read. */
        while (SysvNative.lib().msgrcv(msqid, outbound, limits.msgmax(), s.replyType, IPC_NOWAIT) >= 0) {
            // discarded
        }
        log.accept(why);
    }

    @Override
    public String toString() {
        return "sysv-mq server '" + name + "' on queue " + msqid + " (key " + SysvMqProtocol.hex(key) + ")";
    }
}

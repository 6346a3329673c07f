package org.ipclab.queue;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.Watchdog;

import jnr.ffi.Pointer;

/**
 * An echo server on POSIX message queues: one thread receives every client's messages from one request
 * queue, {@code /ipclab-NAME-req}, tells the clients apart by the priority each message carries, and sends
 * each payload back, unchanged, into that client's own response queue (the protocol is in {@link MqFrame}).
 *
 * <p>A queue has no connections, so what a socket server gets from the kernel is done here by hand:
 * clients say HELLO and END; a client that dies without END is noticed by its pid (kill(pid, 0) every
 * {@value #TICK_MS} ms) and its response queue removed; an idle client is closed after the idle timeout.
 *
 * <p>Memory is bounded: one message buffer for all clients. The price of one thread and one shared request
 * queue: while the server waits for room in a client's full response queue (that client is not reading),
 * everybody else waits too; a client that reads nothing for {@value #STALL_TIMEOUT_MS} ms is dropped.
 *
 * <p>Queues do not vanish with their process. The server removes its request queue when it stops; one left by
 * a server that was killed is found on the next start and removed if no server answers on it
 * ({@link MqRequestQueue}).
 */
public final class PosixMqEchoServer implements EchoServer {

    /** How often the server looks at its clients when no message arrives, and how soon it notices close(). */
    static final long TICK_MS = 200;

    /** A client whose response queue stays full this long (it is not reading its echo) is dropped. */
    static final long STALL_TIMEOUT_MS = 10_000;

    /** The smallest message size the server accepts: room for a HELLO and for the answer to it. */
    public static final int MIN_MESSAGE_BYTES = Math.max(MqFrame.HELLO_BYTES, MqFrame.ACK_BYTES);

    private final String name;
    private final MqQueue requests;
    private final MqLimits limits;
    private final ServerSettings settings;
    private final Consumer<String> log;
    private final long idleTimeoutMs;
    private final int maxClients;
    private final int pid;
    private final Thread loop;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private boolean closeRequested;
    private boolean requestsClosed;   // guarded by this: close() must not send on a descriptor the loop has closed

    // the loop thread's
    private final Pointer inbound;
    private final Pointer inboundPriority;
    private final Pointer ack;
    private final MqDeadline loopDeadline = new MqDeadline();
    private final MqSessions sessions = new MqSessions();
    private int unknownPriority = -1;

    // close()'s
    private final Pointer wake;
    private final MqDeadline wakeDeadline = new MqDeadline();

    // The loop's receive sleeps with no deadline (see MqWakeUp). The ticker ends a sleep that lasted a tick with
    // an empty message of the lowest priority, so that housekeeping (dead and idle clients) still runs.
    private final MqWakeUp loopSleep;
    private final ScheduledFuture<?> ticking;

    private PosixMqEchoServer(String name, MqQueue requests, MqLimits limits, ServerSettings settings) {
        this.name = name;
        this.requests = requests;
        this.limits = limits;
        this.settings = settings;
        this.log = settings.log();
        this.idleTimeoutMs = settings.idleTimeout().toMillis();
        this.maxClients = Math.min(settings.maxConnections(), MqFrame.LAST_CLIENT_PRIORITY - MqFrame.FIRST_CLIENT_PRIORITY + 1);
        this.pid = MqNative.pid();
        this.inbound = MqNative.allocate(requests.messageBytes);
        this.inboundPriority = MqNative.allocate(4);
        this.ack = MqNative.allocate(MqFrame.ACK_BYTES);
        this.wake = MqNative.allocate(1);
        this.loopSleep = new MqWakeUp(requests, MqFrame.WAKE_PRIORITY);
        this.ticking = Watchdog.every(TICK_MS / 4, this::wakeASleepingLoop);
        this.loop = new Thread(this::run, "posix-mq-server " + name);
        loop.setDaemon(true);
        loop.start();
    }

    /**
     * Creates the request queue {@code /ipclab-NAME-req} and starts serving.
     *
     * <p>Options: {@code max-messages} (the queue's depth) and {@code message-size} (its message size; larger
     * echoes are split), both capped by fs.mqueue.msg_max and msgsize_max.
     */
    public static PosixMqEchoServer open(String name, ServerSettings settings) throws IOException {
        MqNames.checkServerName(name);
        MqLimits limits = MqLimits.read();
        MqQueue requests = MqRequestQueue.create(name, settings, limits);
        try {
            return new PosixMqEchoServer(name, requests, limits, settings);
        } catch (RuntimeException | Error e) {
            requests.close();
            MqQueue.unlink(requests.name);
            throw e;
        }
    }

    /** The queue's shape, the kernel's limits and where to look, for the server's first lines. */
    public String describe() {
        String file = requests.name.substring(1);
        String look = MqLimits.mqueueMountPoint()
                .map(mount -> "see the queues: ls -l " + mount + "; cat " + mount + "/" + file)
                .orElse("see the queues: mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue && cat /dev/mqueue/" + file);
        return String.format(Locale.ROOT, "request queue %s (%d messages of %d bytes; larger echoes are split)%n%s%n%s",
                requests.name, requests.maxMessages, requests.messageBytes,
                limits.describe(requests.maxMessages, requests.messageBytes), look);
    }

    public String requestQueueName() {
        return requests.name;
    }

    public MqLimits limits() {
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
        synchronized (this) {
            if (closeRequested) {
                return;
            }
            closeRequested = true;
        }
        running = false;
        synchronized (this) {
            if (!requestsClosed) {
                // Wake the loop now rather than at its next tick. At the lowest priority, this empty message
                // comes after everything already queued; if the queue is full the loop is busy anyway.
                requests.send(wake, 0, MqFrame.WAKE_PRIORITY, wakeDeadline.at(System.currentTimeMillis() + TICK_MS));
            }
        }
        try {
            if (!stopped.await(5, TimeUnit.SECONDS)) {
                log.accept("server thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Ticker: ends a receive that has slept for a tick, so that the loop does its housekeeping. */
    private void wakeASleepingLoop() {
        long sleep = loopSleep.due(TimeUnit.MILLISECONDS.toNanos(TICK_MS), false);
        if (sleep == 0) {
            return;
        }
        synchronized (this) {
            if (!requestsClosed) {
                loopSleep.wake(sleep);
            }
        }
    }

    private void run() {
        try {
            long nextHousekeepingMs = System.currentTimeMillis() + TICK_MS;
            int leftToDrain = requests.maxMessages + 1;
            while (true) {
                long now = System.currentTimeMillis();
                // Once close() is called, what is already queued is still handled (an END sent just before
                // the stop must not be lost), without waiting, and up to one queue's worth: then we stop.
                boolean stopping = !running;
                if (stopping && --leftToDrain < 0) {
                    return;
                }
                /* mq_timedreceive(3) on the request queue: every client's messages arrive here, whole, the
                 * highest priority first, and in the order they were sent within one priority; the kernel also
                 * tells us the priority, which says who sent it. We sleep in the kernel until a message arrives
                 * or the tick passes. Watch the queue: `cat /dev/mqueue/ipclab-NAME-req` (QSIZE: bytes waiting)
                 * once the mqueue filesystem is mounted; the calls: `strace -f -e trace=mq_timedsend,mq_timedreceive -p <pid>`. */
                int n;
                if (stopping) {
                    n = requests.receive(inbound, requests.messageBytes, inboundPriority, loopDeadline.at(now));
                } else {
                    loopSleep.begin();
                    try {
                        n = requests.receive(inbound, requests.messageBytes, inboundPriority, null);
                    } finally {
                        loopSleep.end();
                    }
                    now = System.currentTimeMillis();
                }
                if (n >= 0) {
                    if (handle(n, inboundPriority.getInt(0), now)) {
                        return;   // close()'s wake-up, after everything queued before it
                    }
                } else if (-n == MqNative.ETIMEDOUT) {
                    if (stopping) {
                        return;
                    }
                } else if (-n != MqNative.EINTR) {
                    log.accept("server stopped: " + requests.failure("receive", -n, requests.messageBytes).getMessage());
                    return;
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
            shutdown();
            stopped.countDown();
        }
    }

    /** Handles one request message; true when it is close()'s wake-up. */
    private boolean handle(int length, int priority, long now) {
        if (priority == MqFrame.HELLO_PRIORITY) {
            if (length == MqFrame.HELLO_BYTES && inbound.getByte(MqFrame.KIND) == MqFrame.HELLO) {
                if (running) {
                    hello(inbound.getInt(MqFrame.CLIENT_PID), inbound.getInt(MqFrame.CLIENT_SEQ), now);
                }   // else: stopping; the client's wait for an answer ends in "no server"
            } else {
                log.accept("Ignored a " + length + "-byte message at priority " + priority + ": it is not an ipc-lab HELLO");
            }
            return false;
        }
        if (priority == MqFrame.WAKE_PRIORITY) {
            return !running;
        }
        MqSession session = sessions.byPriority(priority);
        if (session == null) {
            unknownClient(priority, length);
        } else if (length == 0) {
            finish(session, "Closed client pid " + session.pid + ": the client finished sending and every byte"
                    + " was echoed (" + session.echoedBytes + " bytes)");
        } else {
            session.lastActivityMs = now;
            forward(session, length);
        }
        return false;
    }

    /** Sends the message now in {@link #inbound} back to the client, waiting while its queue is full. */
    private void forward(MqSession session, int length) {
        long giveUpMs = System.currentTimeMillis() + STALL_TIMEOUT_MS;
        while (true) {
            long now = System.currentTimeMillis();
            /* mq_timedsend(3) into the client's own queue: the echo, one message per request message. If the
             * client is not reading, its queue fills (mq_maxmsg messages) and we sleep here, in slices, checking
             * that it is still alive. */
            int errno = session.responses.send(inbound, length, 0, loopDeadline.at(Math.min(giveUpMs, now + TICK_MS)));
            if (errno == 0) {
                session.echoedBytes += length;
                return;
            }
            if (errno == MqNative.EINTR) {
                continue;
            }
            if (errno != MqNative.ETIMEDOUT) {
                drop(session, "Closed client pid " + session.pid + ": "
                        + session.responses.failure("send", errno, length).getMessage());
                return;
            }
            if (!running) {
                return;
            }
            if (!MqNative.isAlive(session.pid)) {
                drop(session, "Client pid " + session.pid + " exited without closing; removed its queue "
                        + session.responses.name);
                return;
            }
            if (now + TICK_MS >= giveUpMs) {
                drop(session, "Closed client pid " + session.pid + ": it did not read its echo for "
                        + STALL_TIMEOUT_MS / 1000 + " s (its response queue stayed full)");
                return;
            }
        }
    }

    private void hello(int clientPid, int clientSeq, long now) {
        String responseName = MqNames.responseQueue(name, clientPid, clientSeq);
        MqQueue responses;
        try {
            /* mq_open(3) of the client's queue, write-only: the client made it, and named it after itself
             * (pid and number, which HELLO carries), so each client's echo goes to that client alone. */
            responses = MqQueue.open(responseName, MqNative.O_WRONLY);
        } catch (IOException e) {
            log.accept("Could not answer client pid " + clientPid + ": " + e.getMessage());
            return;
        }
        int priority = sessions.count() < maxClients ? sessions.freePriority() : -1;
        MqFrame.writeAck(ack, pid, priority < 0 ? MqFrame.STATUS_TOO_MANY_CLIENTS : MqFrame.STATUS_ACCEPTED, Math.max(priority, 0));
        int errno = responses.send(ack, MqFrame.ACK_BYTES, 0, loopDeadline.at(now + TICK_MS));
        if (priority < 0 || errno != 0) {
            responses.close();
            log.accept(priority < 0 ? "Refused client pid " + clientPid + ": already " + sessions.count()
                    + " clients (the cap is " + maxClients + "; raise it with --max-connections)"
                    : "Could not answer client pid " + clientPid + ": "
                    + responses.failure("send", errno, MqFrame.ACK_BYTES).getMessage());
            return;
        }
        sessions.add(new MqSession(clientPid, priority, responses, now));
        log.accept("Connected by client pid " + clientPid + " (priority " + priority + ", response queue " + responseName
                + " of " + responses.maxMessages + " message" + (responses.maxMessages == 1 ? "" : "s") + ")");
    }

    private void unknownClient(int priority, int length) {
        if (priority != unknownPriority) {   // once per priority, not once per message
            unknownPriority = priority;
            log.accept("Dropped a " + length + "-byte message at priority " + priority + ": no client holds that"
                    + " priority (one that was closed or died, or a sender that is not an ipc-lab client)");
        }
    }

    /** Every tick: forget clients that died without END (and remove their queues), close idle ones. */
    private void housekeeping(long now) {
        for (int i = sessions.count() - 1; i >= 0; i--) {
            MqSession s = sessions.get(i);
            if (!MqNative.isAlive(s.pid)) {
                drop(s, "Client pid " + s.pid + " exited without closing; removed its queue " + s.responses.name);
            } else if (idleTimeoutMs > 0 && now - s.lastActivityMs > idleTimeoutMs) {
                finish(s, "Closed client pid " + s.pid + ": idle for more than "
                        + (idleTimeoutMs < 10_000 ? idleTimeoutMs + " ms" : idleTimeoutMs / 1000 + " s"));
            }
        }
    }

    /** The client is alive: tell it the echo has ended (an empty message), then forget it. */
    private void finish(MqSession session, String why) {
        session.responses.send(inbound, 0, 0, loopDeadline.now());   // never waits: if its queue is full, it is not reading anyway
        sessions.remove(session);
        session.responses.close();
        log.accept(why);
    }

    /** The client is gone or misbehaving: forget it; if its process has exited, remove its queue too. */
    private void drop(MqSession session, String why) {
        sessions.remove(session);
        session.responses.close();
        if (!MqNative.isAlive(session.pid)) {
            try {
                MqQueue.unlink(session.responses.name);
            } catch (IOException e) {
                log.accept(e.getMessage());
            }
        }
        log.accept(why);
    }

    private void shutdown() {
        try {
            /* mq_unlink(3) first, so no new client can open the queue while we say goodbye to the others. */
            if (MqQueue.unlink(requests.name)) {
                log.accept("Removed queue " + requests.name);
            }
        } catch (IOException e) {
            log.accept(e.getMessage());
        }
        for (int i = sessions.count() - 1; i >= 0; i--) {
            MqSession s = sessions.get(i);
            if (MqNative.isAlive(s.pid)) {
                finish(s, "Closed client pid " + s.pid + ": the server is stopping");
            } else {
                drop(s, "Client pid " + s.pid + " exited without closing; removed its queue " + s.responses.name);
            }
        }
        synchronized (this) {
            requestsClosed = true;
            requests.close();
        }
    }

    @Override
    public String toString() {
        return "posix-mq server '" + name + "' on " + requests.name;
    }
}

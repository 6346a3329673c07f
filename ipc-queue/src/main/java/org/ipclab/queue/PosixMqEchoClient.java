package org.ipclab.queue;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.ipclab.core.AbstractEchoClient;
import org.ipclab.core.NoPeerException;
import org.ipclab.core.Watchdog;

import jnr.ffi.Pointer;

/**
 * A client of a {@link PosixMqEchoServer}: it sends its bytes into the server's request queue, at the
 * priority the server gave it, and reads the echo from a response queue of its own, which it creates on
 * connect and removes on close (the protocol is in {@link MqFrame}).
 *
 * <p>Bytes are a stream here, as with a socket: a send longer than a queue message is split into messages
 * of at most {@link #maxPayloadBytes()} bytes, and a receive takes bytes from as many messages as it needs,
 * keeping the rest of the last one for the next receive.
 *
 * <p>Nothing tells a queue user that the other side died, so every wait is cut into slices of
 * {@value #LIVENESS_CHECK_MS} ms, between which the client checks that the server's process still exists
 * ({@link MqSlicedWait}). A receive sleeps with no deadline; a watchdog ends its slice with an empty message of
 * priority {@value #WAKE_PRIORITY} in this client's own response queue (echoes come at priority 0, so it is
 * taken first; see {@link MqWakeUp}).
 */
public final class PosixMqEchoClient extends AbstractEchoClient {

    /** How often a waiting client checks that the server is still alive. */
    static final long LIVENESS_CHECK_MS = 200;

    /** The priority of the watchdog's wake-up message in the response queue (the server's messages have 0). */
    static final int WAKE_PRIORITY = 1;

    /** How often the watchdog looks at this client's receive. */
    private static final long WATCH_PERIOD_MS = 20;

    /** How long close() tries to deliver END to a server that is alive but busy. */
    private static final long END_TIMEOUT_MS = 1000;

    private static final AtomicInteger NEXT_SEQ = new AtomicInteger();

    private final String serverName;
    private final MqQueue requests;
    private final MqQueue responses;
    private final int clientPid;
    private final int clientSeq;
    private final int maxPayload;
    private final long timeoutMs;
    private int serverPid;
    private int priority;

    // send side: one sender at a time (the caller, or the writer thread of a large round trip)
    private final Pointer outbound;
    private final MqDeadline sendDeadline = new MqDeadline();

    // receive side: the last message received, and how much of it was handed out
    private final Pointer inbound;
    private int inboundPosition;
    private int inboundLimit;
    private boolean echoEnded;
    private final Pointer receivedPriority = MqNative.allocate(4);   // an unsigned int the kernel fills in

    // what runs between two slices of a wait, made once: the hot path allocates nothing
    private final MqSlicedWait.Check serverAlive = this::checkServerAlive;
    private final MqSlicedWait.Check stillOpen = this::ensureOpen;

    // the watchdog: the receive's sleep, and when the receive gives up
    private final MqWakeUp receiveSleep;
    private volatile long receiveGiveUpMs;
    private final ScheduledFuture<?> watch;
    private volatile boolean watchStopped;

    // connect and close: HELLO, END and the wake-up message
    private final Pointer control;
    private final MqDeadline controlDeadline = new MqDeadline();

    /** Threads inside a queue call: close() waits for them before closing the descriptors they use. */
    private final MqInFlight inFlight = new MqInFlight();
    private volatile boolean sendingFinished;

    private PosixMqEchoClient(String serverName, MqQueue requests, MqQueue responses, int clientPid, int clientSeq,
                              Duration timeout) {
        super("posix-mq server '" + serverName + "'", timeout);
        this.serverName = serverName;
        this.requests = requests;
        this.responses = responses;
        this.clientPid = clientPid;
        this.clientSeq = clientSeq;
        this.maxPayload = requests.messageBytes;
        this.timeoutMs = Math.max(1, timeout.toMillis());
        this.outbound = MqNative.allocate(requests.messageBytes);
        this.inbound = MqNative.allocate(responses.messageBytes);
        this.control = MqNative.allocate(MqFrame.HELLO_BYTES);
        this.receiveSleep = new MqWakeUp(responses, WAKE_PRIORITY);
        this.watch = Watchdog.every(WATCH_PERIOD_MS, this::wakeASleepingReceive);
    }

    /** Stops the watchdog for this client and waits until it is out of any send. */
    private void stopWatch() {
        watchStopped = true;
        watch.cancel(false);
        inFlight.awaitNone(3 * LIVENESS_CHECK_MS);
    }

    /** Watchdog: ends a receive's slice by sending the wake-up message into our own response queue. */
    private void wakeASleepingReceive() {
        long sleep = receiveSleep.due(TimeUnit.MILLISECONDS.toNanos(LIVENESS_CHECK_MS),
                System.currentTimeMillis() >= receiveGiveUpMs);
        if (sleep == 0) {
            return;
        }
        inFlight.enter();   // as enter(): close() waits for us before it closes the descriptor
        try {
            if (!isClosed() && !watchStopped) {
                receiveSleep.wake(sleep);
            }
        } finally {
            inFlight.exit();
        }
    }

    /**
     * Connects to the server named {@code serverName}: creates this client's response queue, says HELLO,
     * and waits for the server's answer, all within {@code timeout}.
     *
     * @param maxMessages depth of the response queue (mq_maxmsg); 0 for the default (10, or fs.mqueue.msg_max)
     * @throws NoPeerException when there is no such server, or its queue is left over from a dead one
     */
    public static PosixMqEchoClient connect(String serverName, Duration timeout, int maxMessages) throws IOException {
        MqNames.checkServerName(serverName);
        String requestName = MqNames.requestQueue(serverName);
        MqQueue requests;
        try {
            requests = MqQueue.open(requestName, MqNative.O_WRONLY);
        } catch (NoSuchFileException e) {
            throw new NoPeerException("no posix-mq server named '" + serverName + "' (there is no queue " + requestName + ")");
        }
        PosixMqEchoClient client = null;
        MqQueue responses = null;
        try {
            if (requests.messageBytes < Math.max(MqFrame.HELLO_BYTES, MqFrame.ACK_BYTES)) {
                throw new IOException("queue " + requestName + " has messages of only " + requests.messageBytes
                        + " bytes; it was not made by an ipc-lab server");
            }
            int pid = MqNative.pid();
            int seq = NEXT_SEQ.getAndIncrement();
            String responseName = MqNames.responseQueue(serverName, pid, seq);
            responses = maxMessages > 0
                    ? MqResponseQueues.create(responseName, maxMessages, requests.messageBytes)
                    : MqResponseQueues.createWithinLimit(responseName, MqLimits.atStart().defaultMaxMessages(), requests.messageBytes);
            client = new PosixMqEchoClient(serverName, requests, responses, pid, seq, timeout);
            client.handshake();
            return client;
        } catch (IOException | RuntimeException e) {
            if (client != null) {
                client.stopWatch();   // before the descriptors it sends on are closed
            }
            requests.close();
            if (responses != null) {
                responses.close();
                MqResponseQueues.removeQuietly(responses.name, e);
            }
            throw e;
        }
    }

    private void handshake() throws IOException {
        MqFrame.writeHello(control, clientPid, clientSeq);
        long giveUpMs = System.currentTimeMillis() + timeoutMs;
        if (!sendUntil(control, MqFrame.HELLO_BYTES, MqFrame.HELLO_PRIORITY, giveUpMs, controlDeadline)) {
            throw new NoPeerException(name() + ": its request queue " + requests.name + " stayed full for "
                    + timeoutMs + " ms, so nobody is reading it (a server that was killed leaves its queue"
                    + " behind; a new server removes it)");
        }
        int n = receiveUntil(giveUpMs, false);
        if (n == -MqNative.ETIMEDOUT) {
            throw new NoPeerException(name() + " did not answer within " + timeoutMs + " ms: its queue "
                    + requests.name + " exists but nobody serves it (a server that was killed leaves its"
                    + " queue behind; a new server removes it)");
        }
        if (n != MqFrame.ACK_BYTES) {
            throw new IOException(name() + " answered HELLO with " + n + " bytes instead of "
                    + MqFrame.ACK_BYTES + ": is it an ipc-lab server of this version?");
        }
        serverPid = inbound.getInt(MqFrame.ACK_SERVER_PID);
        if (inbound.getInt(MqFrame.ACK_STATUS) == MqFrame.STATUS_TOO_MANY_CLIENTS) {
            throw new IOException(name() + " (pid " + serverPid + ") refused this client: it already serves"
                    + " as many clients as it may (raise its --max-connections)");
        }
        priority = inbound.getInt(MqFrame.ACK_PRIORITY);
    }

    /** The server's process id, from its answer to HELLO. */
    public int serverPid() {
        return serverPid;
    }

    /** This client's response queue, e.g. {@code /ipclab-echo-rsp-4242-0}. */
    public String responseQueueName() {
        return responses.name;
    }

    /** How many echoed messages this client's response queue holds (less than the default when the limit was tight). */
    public int responseQueueDepth() {
        return responses.maxMessages;
    }

    /** The priority the server gave this client: all its messages carry it. */
    public int priority() {
        return priority;
    }

    /** The most bytes one request message carries: the request queue's message size. */
    public int maxPayloadBytes() {
        return maxPayload;
    }

    @Override
    protected void doSend(byte[] src, int offset, int length) throws IOException {
        if (sendingFinished) {
            throw new IOException(name() + ": sending is finished (finishSending was called); connect a new client");
        }
        enter();
        try {
            int end = offset + length;
            while (offset < end) {   // 0 bytes send nothing, as write(2) of 0 bytes on a stream socket
                ensureOpen();   // no data may follow the END that close() sends
                int chunk = Math.min(maxPayload, end - offset);
                outbound.put(0, src, offset, chunk);
                if (!sendUntil(outbound, chunk, priority, System.currentTimeMillis() + timeoutMs, sendDeadline)) {
                    throw new IOException(name() + ": could not send for " + timeoutMs + " ms: the request queue "
                            + requests.name + " stayed full (the server is stuck, or busy with a client that"
                            + " does not read its echo)");
                }
                offset += chunk;
            }
        } finally {
            exit();
        }
    }

    /**
     * Sends one message, waiting while the queue is full until {@code giveUpMs}, in slices between which it
     * checks that this client is open and the server alive.
     *
     * @return false when the queue stayed full until {@code giveUpMs}
     */
    private boolean sendUntil(Pointer message, int length, int messagePriority, long giveUpMs, MqDeadline deadline)
            throws IOException {
        return MqSlicedWait.send(requests, message, length, messagePriority, deadline, giveUpMs, LIVENESS_CHECK_MS,
                serverAlive);
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        enter();
        try {
            int end = offset + length;
            int start = offset;
            while (offset < end) {
                if (inboundPosition == inboundLimit) {
                    awaitEcho(offset - start, length);
                }
                int chunk = Math.min(inboundLimit - inboundPosition, end - offset);
                inbound.get(inboundPosition, dst, offset, chunk);
                inboundPosition += chunk;
                offset += chunk;
            }
        } finally {
            exit();
        }
    }

    /** Waits for the next echoed message; fails on end of echo, on timeout, or when the server died. */
    private void awaitEcho(int got, int wanted) throws IOException {
        if (echoEnded) {
            throw endOfEcho(got, wanted);
        }
        int n = receiveUntil(System.currentTimeMillis() + timeoutMs, true);
        if (n == -MqNative.ETIMEDOUT) {
            throw new IOException(name() + ": no echo for " + timeoutMs + " ms (" + got + " of " + wanted
                    + " bytes came back) although the server (pid " + serverPid + ") is alive: it is stuck, or"
                    + " busy with clients of higher priority, whose messages the queue hands out first");
        }
        if (n == 0) {
            ensureOpen();   // the empty message may be close() waking us up
            echoEnded = true;
            throw endOfEcho(got, wanted);
        }
        inboundPosition = 0;
        inboundLimit = n;
    }

    private IOException endOfEcho(int got, int wanted) {
        return new IOException(name() + " ended the echo after " + got + " of " + wanted + " bytes (it was"
                + " stopped, or closed this client after finishSending or an idle time)");
    }

    /**
     * Receives one message into {@link #inbound} before {@code giveUpMs}.
     *
     * @return its length, or -ETIMEDOUT
     */
    private int receiveUntil(long giveUpMs, boolean checkServer) throws IOException {
        receiveGiveUpMs = giveUpMs;
        return MqSlicedWait.receive(responses, inbound, receivedPriority, receiveSleep, WAKE_PRIORITY, giveUpMs,
                checkServer ? serverAlive : stillOpen);
    }

    private void checkServerAlive() throws IOException {
        ensureOpen();
        if (serverPid != 0 && !MqNative.isAlive(serverPid)) {
            throw new IOException(name() + ": the server (pid " + serverPid + ") has exited; its queues may be"
                    + " left behind until a new server starts");
        }
    }

    @Override
    protected void doFinishSending() throws IOException {
        if (sendingFinished) {
            return;
        }
        sendingFinished = true;
        enter();
        try {
            // END: an empty message at our priority, so it comes after every byte we sent
            if (!sendUntil(control, 0, priority, System.currentTimeMillis() + timeoutMs, controlDeadline)) {
                throw new IOException(name() + ": could not send END for " + timeoutMs + " ms (the request queue stayed full)");
            }
        } finally {
            exit();
        }
    }

    @Override
    protected int inlineRoundTripBytes() {
        // the whole echo fits in our response queue, so the server never waits for us to read
        return responses.maxMessages * maxPayload;
    }

    @Override
    protected void doClose() throws IOException {
        IOException failure = null;
        watch.cancel(false);
        try {
            // wake a reader blocked in mq_timedreceive on our queue: it finds the client closed
            responses.send(control, 0, 0, controlDeadline.now());
            // a writer stops before its next message; END must come after the last one
            inFlight.awaitNone(3 * LIVENESS_CHECK_MS);
            if (!sendingFinished && inFlight.none()) {
                sendingFinished = true;
                // END if it can go: a server gone or stuck drops us when it sees our pid has exited
                MqSlicedWait.offer(requests, control, 0, priority, controlDeadline,
                        System.currentTimeMillis() + Math.min(timeoutMs, END_TIMEOUT_MS), LIVENESS_CHECK_MS,
                        () -> MqNative.isAlive(serverPid));
            }
        } finally {
            if (inFlight.none()) {
                requests.close();
                responses.close();
            }
            // else: a thread is still inside a call on these descriptors; closing them could let a new
            // queue reuse the number under it. Leaving two descriptors to process exit is the lesser harm,
            // and the server forgets us when our process exits.
            try {
                MqQueue.unlink(responses.name);
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void enter() throws IOException {
        inFlight.enter();
        if (isClosed()) {
            inFlight.exit();
            ensureOpen();
        }
    }

    private void exit() {
        inFlight.exit();
    }

    @Override
    public String toString() {
        return "posix-mq client " + responses.name + " of server '" + serverName + "'";
    }
}

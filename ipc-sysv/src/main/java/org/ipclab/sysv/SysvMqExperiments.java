package org.ipclab.sysv;

import static org.ipclab.sysv.SysvNative.IPC_CREAT;
import static org.ipclab.sysv.SysvNative.IPC_NOWAIT;
import static org.ipclab.sysv.SysvNative.IPC_PRIVATE;
import static org.ipclab.sysv.SysvNative.MTYPE_BYTES;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import jnr.ffi.Pointer;
import org.ipclab.core.ChildProcess;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.experiments.Boundaries;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.ChildJvm;
import org.ipclab.core.experiments.ChildSide;
import org.ipclab.core.experiments.TransportExperiments;

/**
 * The property experiments for System V message queues: one kernel queue of typed messages, both ways at once.
 * Every call here passes IPC_NOWAIT, so none can sleep: an empty queue answers ENOMSG, a full one EAGAIN. Every queue
 * is private (IPC_PRIVATE: a new queue whose key nobody else can look up) and removed with IPC_RMID in a finally.
 */
final class SysvMqExperiments implements TransportExperiments {

    static final Duration TIMEOUT = Duration.ofSeconds(3);

    /** Child mode of {@link #survivesCrash}: sends one message into the queue given by msqid, then waits to be killed. */
    static final String SEND_AND_HOLD = "send-and-hold";
    /** Child mode of the SIGKILL test: runs an echo server by name until killed. */
    static final String SERVE = "serve";

    @Override
    public String transport() {
        return SysvMqDescriptor.INSTANCE.id();
    }

    @Override
    public void child(String mode, List<String> args) throws Exception {
        if (mode.equals(SEND_AND_HOLD)) {
            try (Queue q = new Queue(Integer.parseInt(args.get(0)))) {
                q.send(Long.parseLong(args.get(1)), new byte[Integer.parseInt(args.get(2))]);
                ChildSide.say(ChildSide.READY + "sent, pid " + SysvNative.pid());
                ChildSide.sleepUntilParentGoes();
            }
        } else if (mode.equals(SERVE)) {
            SysvMqEchoServer server = SysvMqEchoServer.open(args.get(0), ServerSettings.defaults());
            ChildSide.say(ChildSide.READY + server.msqid());
            ChildSide.sleepUntilParentGoes();
        } else {
            throw new IllegalArgumentException(transport() + " has no child mode '" + mode + "'");
        }
    }

    /** A raw queue: msgsnd and msgrcv with IPC_NOWAIT, removed on close when this object made it. */
    static final class Queue implements AutoCloseable {
        final int msqid;
        private final boolean owner;
        private final Pointer buffer;
        final int msgmax = SysvNative.Limits.read().msgmax();

        /** A new private queue, mode 0600. */
        Queue() throws IOException {
            /* msgget(2) with IPC_PRIVATE: always a new queue, with no key; only its msqid reaches it. */
            int id = SysvNative.lib().msgget(IPC_PRIVATE, IPC_CREAT | 0600);
            if (id < 0) {
                throw new IOException("msgget(IPC_PRIVATE) failed: " + SysvNative.errnoText(SysvNative.errno()));
            }
            this.msqid = id;
            this.owner = true;
            this.buffer = SysvNative.allocate(MTYPE_BYTES + Math.max(msgmax, 64 * 1024));
        }

        /** Someone else's queue, by msqid. */
        Queue(int msqid) {
            this.msqid = msqid;
            this.owner = false;
            this.buffer = SysvNative.allocate(MTYPE_BYTES + Math.max(msgmax, 64 * 1024));
        }

        /** msgsnd with IPC_NOWAIT: 0, or the errno. */
        int trySend(long type, byte[] bytes) {
            buffer.putLong(0, type);
            buffer.put(MTYPE_BYTES, bytes, 0, bytes.length);
            return SysvNative.lib().msgsnd(msqid, buffer, bytes.length, IPC_NOWAIT) == 0 ? 0 : SysvNative.errno();
        }

        void send(long type, byte[] bytes) throws IOException {
            int errno = trySend(type, bytes);
            if (errno != 0) {
                throw new IOException("msgsnd of " + bytes.length + " B on queue " + msqid + " failed: " + SysvNative.errnoText(errno));
            }
        }

        /** msgrcv of {@code type} with IPC_NOWAIT into a 64 KiB buffer; null when none is there (ENOMSG). */
        byte[] tryReceive(long type) throws IOException {
            long n = SysvNative.lib().msgrcv(msqid, buffer, 64 * 1024, type, IPC_NOWAIT);
            if (n < 0) {
                int errno = SysvNative.errno();
                if (errno == SysvNative.ENOMSG) {
                    return null;
                }
                throw new IOException("msgrcv on queue " + msqid + " failed: " + SysvNative.errnoText(errno));
            }
            byte[] bytes = new byte[(int) n];
            buffer.get(MTYPE_BYTES, bytes, 0, bytes.length);
            return bytes;
        }

        long lastType() {
            return buffer.getLong(0);
        }

        /** Polls for a message of {@code type} for at most {@link #TIMEOUT}. */
        byte[] receive(long type) throws IOException {
            long deadline = System.nanoTime() + TIMEOUT.toNanos();
            while (true) {
                byte[] got = tryReceive(type);
                if (got != null) {
                    return got;
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("no message of type " + type + " arrived on queue " + msqid + " within "
                            + TIMEOUT.toMillis() + " ms");
                }
                SysvMqQueues.sleepMs(1);
            }
        }

        SysvNative.Status status() throws IOException {
            return SysvNative.status(msqid).orElseThrow(() -> new IOException("queue " + msqid + " is gone"));
        }

        @Override
        public void close() {
            if (owner) {
                SysvNative.remove(msqid);
            }
        }
    }

    /** Both ways on one queue: what a reader of type 2 got while a type-1 message waited. */
    record Direction(byte[] typeTwoGot, long typeOneStillQueued, byte[] typeOneGot) {
    }

    Direction directionProbe() throws IOException {
        try (Queue q = new Queue()) {
            q.send(1, "to the server".getBytes());
            q.send(2, "to client 2".getBytes());
            byte[] two = q.receive(2);
            long left = q.status().qnum();
            return new Direction(two, left, q.receive(1));
        }
    }

    @Override
    public Cell direction(Path dir) throws IOException {
        Direction seen = directionProbe();
        return Cell.measured("both ways on one queue; mtype picks",
                "One process sent a type-1 message (\"to the server\") and then a type-2 one into one queue; msgrcv for"
                        + " type 2 returned \"" + new String(seen.typeTwoGot()) + "\" although the type-1 message was older,"
                        + " leaving msg_qnum " + seen.typeOneStillQueued() + "; msgrcv for type 1 then returned \""
                        + new String(seen.typeOneGot()) + "\". A System V queue has no ends and no direction: any process"
                        + " with permission sends and receives, and the type says who a message is for.");
    }

    Boundaries boundaries() throws IOException {
        try (Queue q = new Queue()) {
            List<Integer> writes = Boundaries.WRITES;
            for (int i = 0; i < writes.size(); i++) {
                q.send(1, Boundaries.payload(writes.get(i), i));
            }
            List<Integer> reads = new ArrayList<>();
            /* msgrcv(2) takes exactly one message, however big the buffer (here 64 KiB). */
            for (byte[] got = q.tryReceive(0); got != null; got = q.tryReceive(0)) {
                reads.add(got.length);
            }
            return new Boundaries(writes, reads);
        }
    }

    @Override
    public Cell messageBoundaries(Path dir) throws IOException {
        return boundaries().cell("msgsnd sent", "with a 65536-byte buffer");
    }

    /** Full messages sent before EAGAIN, the queue's byte limit, and what one byte over msgmax got. */
    record Fill(int messages, int messageBytes, int stopErrno, long qbytes, int overMaxErrno, SysvNative.Limits limits) {
    }

    Fill fill() throws IOException {
        SysvNative.Limits limits = SysvNative.Limits.read();
        try (Queue q = new Queue()) {
            byte[] full = new byte[limits.msgmax()];
            int sent = 0;
            int errno;
            /* msgsnd(2) into a queue holding msg_qbytes bytes: EAGAIN with IPC_NOWAIT; without it the sender sleeps
             * until a receiver makes room. `ipcs -q` shows used-bytes at the limit meanwhile. */
            while ((errno = q.trySend(1, full)) == 0 && sent < 10_000) {
                sent++;
            }
            int over = q.trySend(1, new byte[limits.msgmax() + 1]);
            return new Fill(sent, full.length, errno, q.status().qbytes(), over, limits);
        }
    }

    @Override
    public Cell capacityBeforeWriterBlocks(Path dir) throws IOException {
        Fill f = fill();
        return Cell.measured(f.messages() + " × " + f.messageBytes() + " B = " + (long) f.messages() * f.messageBytes() + " B",
                "A new queue (msg_qbytes " + f.qbytes() + " B, from kernel.msgmnb " + f.limits().msgmnb() + ") took "
                        + f.messages() + " messages of msgmax " + f.messageBytes() + " B; the next msgsnd with IPC_NOWAIT"
                        + " failed with " + SysvNative.errnoText(f.stopErrno()) + ". One byte over msgmax failed with "
                        + SysvNative.errnoText(f.overMaxErrno()) + " (larger echoes are split). Limits: "
                        + f.limits().describe() + ". The echo's requests and replies share this one queue.");
    }

    record Later(int sent, long waiting, int receivedLater) {
    }

    Later laterProbe() throws IOException {
        try (Queue q = new Queue()) {
            int sent = 3;
            for (int i = 0; i < sent; i++) {
                q.send(1, ("message " + i).getBytes());
            }
            long waiting = q.status().qnum();
            int received = 0;
            while (q.tryReceive(0) != null) {
                received++;
            }
            return new Later(sent, waiting, received);
        }
    }

    @Override
    public Cell senderWithNoPeer(Path dir) throws IOException {
        Later seen = laterProbe();
        return Cell.measured("queued; received later",
                "With no receiver anywhere, msgsnd of " + seen.sent() + " messages succeeded at once (IPC_STAT: msg_qnum "
                        + seen.waiting() + "); a receiver that came afterwards got " + seen.receivedLater() + ". There is"
                        + " no connection: a sender learns nothing about receivers, and a full queue (EAGAIN) is the only"
                        + " sign that nobody reads.");
    }

    record Crash(int exitCode, long waitingAfterKill, int lastSenderPid, long childPid, int receivedBytes, int sentBytes) {
    }

    Crash crashProbe() throws IOException {
        try (Queue q = new Queue()) {
            int size = 100;
            int exit;
            long childPid;
            try (ChildJvm sender = ChildJvm.start(transport(), SEND_AND_HOLD, String.valueOf(q.msqid), "7",
                    String.valueOf(size))) {
                sender.awaitLine(ChildSide.READY, ChildJvm.START_TIMEOUT);
                childPid = sender.pid();
                exit = sender.kill(TIMEOUT);
            }
            SysvNative.Status s = q.status();
            byte[] got = q.receive(7);
            return new Crash(exit, s.qnum(), s.lspid(), childPid, got.length, size);
        }
    }

    @Override
    public Cell survivesCrash(Path dir) throws IOException {
        Crash seen = crashProbe();
        boolean kept = seen.receivedBytes() == seen.sentBytes();
        return Cell.measured(kept ? "yes: in kernel memory until IPC_RMID or reboot" : "no",
                "A child process (pid " + seen.childPid() + ") sent a " + seen.sentBytes() + "-B message and was SIGKILLed"
                        + " (exit " + ChildProcess.describeExitCode(seen.exitCode()) + "). The queue still held msg_qnum "
                        + seen.waitingAfterKill() + ", msg_lspid " + seen.lastSenderPid() + " (the dead sender), and we"
                        + " received " + seen.receivedBytes() + " B. The queue belongs to no process: it stays, with its"
                        + " messages, until msgctl(IPC_RMID), ipcrm, or a reboot; this is why a server must reclaim a stale"
                        + " one on start.");
    }

    @Override
    public Cell whoCanConnect(Path dir) throws IOException {
        try (Queue q = new Queue()) {
            SysvNative.Status s = q.status();
            return Cell.measured("this host; mode " + Integer.toOctalString(s.mode()) + " (by key or msqid)",
                    "msgget(IPC_PRIVATE, 0600) made queue " + q.msqid + "; IPC_STAT shows mode "
                            + Integer.toOctalString(s.mode()) + ", owner uid " + s.uid() + ". Any process of this host"
                            + " (of this IPC namespace) that knows the key or the msqid may use it if the mode lets it:"
                            + " here only that user and root. Queues are in no file system: `ipcs -q` or"
                            + " /proc/sysvipc/msg lists them.");
        }
    }

    /** N clients, one queue, one echo thread: how many replies each client got, and whether all were its own. */
    record Multiplexed(int clients, int perClient, int ownReplies, int foreignReplies) {
        int total() {
            return clients * perClient;
        }
    }

    static final int CLIENTS = 4;
    static final int MESSAGES_PER_CLIENT = 25;

    Multiplexed multiplexProbe() throws IOException {
        try (Queue q = new Queue()) {
            AtomicReference<String> failure = new AtomicReference<>();
            int[] own = new int[CLIENTS];
            int[] foreign = new int[CLIENTS];
            CountDownLatch start = new CountDownLatch(1);
            Thread echo = new Thread(() -> {
                try (Queue server = new Queue(q.msqid)) {
                    for (int i = 0; i < CLIENTS * MESSAGES_PER_CLIENT; i++) {
                        byte[] request = server.receive(SysvMqProtocol.SERVER_TYPE);
                        long replyType = ByteBuffer.wrap(request).order(ByteOrder.nativeOrder()).getLong(0);
                        server.send(replyType, Arrays.copyOfRange(request, 8, request.length));
                    }
                } catch (IOException e) {
                    failure.compareAndSet(null, "echo: " + e.getMessage());
                }
            }, "sysv-echo");
            echo.setDaemon(true);
            echo.start();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int id = c;
                long replyType = 100 + c;
                Thread client = new Thread(() -> {
                    try (Queue mine = new Queue(q.msqid)) {
                        start.await();
                        for (int m = 0; m < MESSAGES_PER_CLIENT; m++) {
                            ByteBuffer request = ByteBuffer.allocate(10).order(ByteOrder.nativeOrder());
                            request.putLong(replyType).put((byte) id).put((byte) m);
                            mine.send(SysvMqProtocol.SERVER_TYPE, request.array());
                            /* msgrcv for my own type only: the other clients' replies stay queued for them. */
                            byte[] reply = mine.receive(replyType);
                            if (mine.lastType() == replyType && reply.length == 2 && reply[0] == id && reply[1] == m) {
                                own[id]++;
                            } else {
                                foreign[id]++;
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        failure.compareAndSet(null, "client " + id + ": " + e.getMessage());
                    }
                }, "sysv-client-" + c);
                client.setDaemon(true);
                clients.add(client);
                client.start();
            }
            start.countDown();
            try {
                for (Thread client : clients) {
                    client.join(2 * TIMEOUT.toMillis());
                }
                echo.join(TIMEOUT.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure.get() != null) {
                throw new IOException(failure.get());
            }
            return new Multiplexed(CLIENTS, MESSAGES_PER_CLIENT, Arrays.stream(own).sum(), Arrays.stream(foreign).sum());
        }
    }

    @Override
    public Cell manyClients(Path dir) throws IOException {
        Multiplexed seen = multiplexProbe();
        return Cell.measured("one queue for all: " + seen.ownReplies() + "/" + seen.total() + " replies to their sender",
                seen.clients() + " client threads sent " + seen.perClient() + " requests each as type 1, each carrying the"
                        + " client's own reply type (100 to " + (99 + seen.clients()) + "); one echo thread answered each"
                        + " with that type, into the same queue. Each client asked msgrcv for its own type only and got "
                        + seen.ownReplies() + " of " + seen.total() + " replies in all, all its own ("
                        + seen.foreignReplies() + " foreign). POSIX queues cannot do this (they have priorities, not"
                        + " addresses): posix-mq needs a reply queue per client.");
    }
}

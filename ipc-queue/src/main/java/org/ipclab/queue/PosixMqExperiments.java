package org.ipclab.queue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import jnr.ffi.Pointer;
import jnr.posix.FileStat;
import org.ipclab.core.ChildProcess;
import org.ipclab.core.Errnos;
import org.ipclab.core.experiments.Boundaries;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.ChildJvm;
import org.ipclab.core.experiments.ChildSide;
import org.ipclab.core.experiments.FileModes;
import org.ipclab.core.experiments.Libc;
import org.ipclab.core.experiments.Probes;
import org.ipclab.core.experiments.TransportExperiments;
import org.ipclab.queue.Mq.Queue;
import org.ipclab.queue.MqLimits;

/**
 * The property experiments for POSIX message queues: a named mailbox in the kernel that keeps each message whole.
 * Every descriptor here is O_NONBLOCK, so no call can sleep: an empty or full queue answers EAGAIN at once.
 */
final class PosixMqExperiments implements TransportExperiments {

    static final Duration TIMEOUT = Duration.ofSeconds(3);
    /** Small queues: every queue is charged to this user's RLIMIT_MSGQUEUE, which other runs share. */
    static final int SMALL_MAX_MESSAGES = 10;
    static final int SMALL_MESSAGE_BYTES = 256;
    static final int EAGAIN = 11;
    static final int EBADF = 9;

    /** Child mode of {@link #survivesCrash}: a reader that opens the queue and never receives. */
    static final String HOLD_READER = "hold-reader";

    /** The second process of {@link #survivesCrash}: opens the queue for reading and never receives. */
    @Override
    public void child(String mode, java.util.List<String> args) throws IOException {
        if (!mode.equals(HOLD_READER)) {
            throw new IllegalArgumentException(transport() + " has no child mode '" + mode + "'");
        }
        Queue queue = Queue.open(args.get(0), Mq.O_RDONLY | Mq.O_NONBLOCK);
        ChildSide.say(ChildSide.READY + args.get(0) + " fd " + queue.fd);
        ChildSide.sleepUntilParentGoes();
    }

    @Override
    public String transport() {
        return PosixMqDescriptor.INSTANCE.id();
    }

    static Pointer message(byte[] bytes) throws IOException {
        Pointer p = Mq.allocate(Math.max(1, bytes.length));
        p.put(0, bytes, 0, bytes.length);
        return p;
    }

    /** Receives one message, waiting (by polling a non-blocking descriptor) at most {@code timeout}. */
    static byte[] receive(Queue queue, int messageBytes, Duration timeout) throws IOException {
        Pointer buffer = Mq.allocate(messageBytes);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int n = queue.receive(buffer, messageBytes);
            if (n >= 0) {
                byte[] bytes = new byte[n];
                buffer.get(0, bytes, 0, n);
                return bytes;
            }
            if (-n != EAGAIN) {
                throw new IOException("mq_receive on " + queue.name + " failed: " + Errnos.text(-n));
            }
            if (System.nanoTime() > deadline) {
                throw new IOException("no message arrived on " + queue.name + " within " + timeout.toMillis() + " ms");
            }
            Libc.pause();
        }
    }

    static void send(Queue queue, byte[] bytes, Duration timeout) throws IOException {
        Pointer message = message(bytes);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            int errno = queue.send(message, bytes.length);
            if (errno == 0) {
                return;
            }
            if (errno != EAGAIN || System.nanoTime() > deadline) {
                throw new IOException("mq_send of " + bytes.length + " B on " + queue.name + " failed: " + Errnos.text(errno));
            }
            Libc.pause();
        }
    }

    /** What the wrong-way calls said, and whether an O_RDWR descriptor got its own message back. */
    record Direction(int receiveOnWriteOnly, int sendOnReadOnly, int delivered, boolean ownMessageBack) {
    }

    Direction directionProbe() throws IOException {
        String name = Mq.uniqueName();
        byte[] hello = "hello".getBytes(StandardCharsets.US_ASCII);
        try (Queue writer = Queue.create(name, Mq.O_WRONLY | Mq.O_NONBLOCK, SMALL_MAX_MESSAGES, SMALL_MESSAGE_BYTES);
             Queue reader = Queue.open(name, Mq.O_RDONLY | Mq.O_NONBLOCK);
             Queue both = Queue.open(name, Mq.O_RDWR | Mq.O_NONBLOCK)) {
            Pointer buffer = Mq.allocate(SMALL_MESSAGE_BYTES);
            /* Each descriptor has an access mode like a file's: receiving on an O_WRONLY one, or sending on an
             * O_RDONLY one, fails with EBADF before the queue is touched. */
            int receiveOnWriteOnly = -writer.receive(buffer, SMALL_MESSAGE_BYTES);
            int sendOnReadOnly = reader.send(message(hello), hello.length);
            send(writer, hello, TIMEOUT);
            int delivered = receive(reader, SMALL_MESSAGE_BYTES, TIMEOUT).length;
            // O_RDWR: one descriptor may send and receive, but a queue has no "other side": it gets its own message.
            send(both, hello, TIMEOUT);
            boolean own = receive(both, SMALL_MESSAGE_BYTES, TIMEOUT).length == hello.length;
            return new Direction(receiveOnWriteOnly, sendOnReadOnly, delivered, own);
        }
    }

    @Override
    public Cell direction(Path dir) throws IOException {
        Direction seen = directionProbe();
        boolean oneWay = seen.receiveOnWriteOnly() == EBADF && seen.sendOnReadOnly() == EBADF;
        return Cell.measured(oneWay ? "one-way per descriptor; no sides" : "unclear",
                "mq_receive on an O_WRONLY descriptor failed with " + Errnos.text(seen.receiveOnWriteOnly())
                        + " and mq_send on an O_RDONLY one with " + Errnos.text(seen.sendOnReadOnly()) + "; a "
                        + seen.delivered() + "-B message went from the O_WRONLY to the O_RDONLY descriptor. An O_RDWR "
                        + "descriptor may do both, but " + (seen.ownMessageBack() ? "it received its own message back"
                        : "it did not get its message back") + ": a queue has no sides, so the echo uses a request "
                        + "queue and a response queue per client.");
    }

    Boundaries boundaries() throws IOException {
        String name = Mq.uniqueName();
        try (Queue writer = Queue.create(name, Mq.O_WRONLY | Mq.O_NONBLOCK, SMALL_MAX_MESSAGES, SMALL_MESSAGE_BYTES);
             Queue reader = Queue.open(name, Mq.O_RDONLY | Mq.O_NONBLOCK)) {
            List<Integer> writes = Boundaries.WRITES;
            for (int i = 0; i < writes.size(); i++) {
                send(writer, Boundaries.payload(writes.get(i), i), TIMEOUT);
            }
            List<Integer> reads = new ArrayList<>();
            Pointer buffer = Mq.allocate(SMALL_MESSAGE_BYTES);
            /* Every mq_receive takes exactly one message out, however big the buffer (it must hold mq_msgsize). */
            for (int n = reader.receive(buffer, SMALL_MESSAGE_BYTES); n >= 0; n = reader.receive(buffer, SMALL_MESSAGE_BYTES)) {
                reads.add(n);
            }
            return new Boundaries(writes, reads);
        }
    }

    @Override
    public Cell messageBoundaries(Path dir) throws IOException {
        return boundaries().cell("mq_send sent", "with a " + SMALL_MESSAGE_BYTES
                + "-byte buffer (mq_receive needs room for mq_msgsize)");
    }

    /** How many messages a queue took before EAGAIN; {@code defaults} false when a small queue stood in. */
    record Fill(int messages, int stopErrno, long maxMessages, long messageBytes, boolean defaults) {
        long bytes() {
            return messages * messageBytes;
        }
    }

    Fill fill() throws IOException {
        // No attributes: the queue gets the kernel's defaults, fs.mqueue.msg_default x msgsize_default. If this
        // user's RLIMIT_MSGQUEUE is used up by other queues (EMFILE), a small queue shows the same behaviour.
        boolean defaults = true;
        Queue created;
        try {
            created = Queue.create(Mq.uniqueName(), Mq.O_WRONLY | Mq.O_NONBLOCK, 0, 0);
        } catch (Mq.OpenFailed e) {
            if (e.errno != Mq.EMFILE) {
                throw e;
            }
            defaults = false;
            created = Queue.create(Mq.uniqueName(), Mq.O_WRONLY | Mq.O_NONBLOCK, SMALL_MAX_MESSAGES, SMALL_MESSAGE_BYTES);
        }
        try (Queue writer = created) {
            long[] attributes = writer.attributes();
            int size = (int) attributes[1];
            Pointer message = Mq.allocate(size);
            int sent = 0;
            int errno;
            /* mq_send into a full queue: with O_NONBLOCK it fails with EAGAIN; a blocking sender would sleep there
             * until a receiver takes a message. The limit counts messages (mq_maxmsg), each up to mq_msgsize. */
            while ((errno = writer.send(message, size)) == 0 && sent <= 1_000_000) {
                sent++;
            }
            return new Fill(sent, errno, attributes[0], attributes[1], defaults);
        }
    }

    @Override
    public Cell capacityBeforeWriterBlocks(Path dir) throws IOException {
        Fill fill = fill();
        MqLimits limits = MqLimits.read();
        return Cell.measured(fill.messages() + " × " + fill.messageBytes() + " B = " + fill.bytes() + " B",
                (fill.defaults() ? "A queue created with the kernel's defaults" : "A small queue (a default-sized one "
                        + "failed with EMFILE: this user's RLIMIT_MSGQUEUE is used up by other queues)")
                        + " (mq_getattr: mq_maxmsg " + fill.maxMessages() + ", mq_msgsize "
                        + fill.messageBytes() + ") took " + fill.messages() + " messages of " + fill.messageBytes()
                        + " B, then mq_send on the O_NONBLOCK descriptor failed with " + Errnos.text(fill.stopErrno())
                        + ". Larger queues are capped by fs.mqueue.msg_max " + limits.msgMax() + " and msgsize_max "
                        + limits.msgsizeMax() + ", and all of a user's queues by RLIMIT_MSGQUEUE "
                        + (limits.rlimitBytes() < 0 ? "(unlimited)" : limits.rlimitBytes() + " B") + ".");
    }

    /** Messages sent while nobody had the queue open for reading, and what a later reader found. */
    record Later(int sent, long waitingAfterSenderClosed, int receivedLater) {
    }

    Later laterProbe() throws IOException {
        String name = Mq.uniqueName();
        int sent = 3;
        try (Queue owner = Queue.create(name, Mq.O_WRONLY | Mq.O_NONBLOCK, SMALL_MAX_MESSAGES, SMALL_MESSAGE_BYTES)) {
            for (int i = 0; i < sent; i++) {
                send(owner, ("message " + i).getBytes(StandardCharsets.US_ASCII), TIMEOUT);
            }
            owner.closeKeepingQueue();
            // Nobody has the queue open now. A reader arrives later:
            try (Queue reader = Queue.open(name, Mq.O_RDONLY | Mq.O_NONBLOCK)) {
                long waiting = reader.attributes()[2];
                int received = 0;
                Pointer buffer = Mq.allocate(SMALL_MESSAGE_BYTES);
                while (reader.receive(buffer, SMALL_MESSAGE_BYTES) >= 0) {
                    received++;
                }
                return new Later(sent, waiting, received);
            }
        }
    }

    @Override
    public Cell senderWithNoPeer(Path dir) throws IOException {
        Later seen = laterProbe();
        return Cell.measured("queued; received later",
                "With no receiver anywhere, mq_send of " + seen.sent() + " messages succeeded at once; the sender closed "
                        + "its descriptor, and a reader that opened the queue afterwards found mq_curmsgs "
                        + seen.waitingAfterSenderClosed() + " and received " + seen.receivedLater() + ". A sender learns "
                        + "nothing about receivers: a full queue (EAGAIN or a sleeping sender) is the only sign nobody reads.");
    }

    /** The reader process killed before it received: what was left in the queue afterwards. */
    record Crash(int exitCode, long waitingAfterKill, byte[] receivedAfterwards, int sentBytes) {
    }

    Crash crashProbe() throws IOException {
        String name = Mq.uniqueName();
        byte[] sent = new byte[100];
        java.util.Arrays.fill(sent, (byte) 'q');
        try (Queue owner = Queue.create(name, Mq.O_WRONLY | Mq.O_NONBLOCK, SMALL_MAX_MESSAGES, SMALL_MESSAGE_BYTES)) {
            int exit;
            try (ChildJvm reader = ChildJvm.start(transport(), HOLD_READER, name)) {
                reader.awaitLine(ChildSide.READY, ChildJvm.START_TIMEOUT);
                send(owner, sent, TIMEOUT);
                exit = reader.kill(TIMEOUT);
            }
            owner.closeKeepingQueue();
            // Every process that had the queue open is gone or has closed it; only the name holds it now.
            try (Queue later = Queue.open(name, Mq.O_RDONLY | Mq.O_NONBLOCK)) {
                long waiting = later.attributes()[2];
                return new Crash(exit, waiting, receive(later, SMALL_MESSAGE_BYTES, TIMEOUT), sent.length);
            }
        }
    }

    @Override
    public Cell survivesCrash(Path dir) throws IOException {
        Crash seen = crashProbe();
        boolean kept = seen.receivedAfterwards().length == seen.sentBytes();
        return Cell.measured(kept ? "yes: in kernel memory until reboot" : "no",
                "A child process had the queue open for reading; we sent a " + seen.sentBytes() + "-B message, SIGKILLed "
                        + "the child before it received (exit " + ChildProcess.describeExitCode(seen.exitCode()) + ") and "
                        + "closed our own descriptor. The queue still held mq_curmsgs " + seen.waitingAfterKill()
                        + ", and a new descriptor received " + seen.receivedAfterwards().length + " B. The message lives "
                        + "in kernel memory, not on disk: it survives any process, but not a reboot.");
    }

    @Override
    public Cell whoCanConnect(Path dir) throws IOException {
        String name = Mq.uniqueName();
        try (Queue queue = Queue.create(name, Mq.O_RDONLY | Mq.O_NONBLOCK, SMALL_MAX_MESSAGES, SMALL_MESSAGE_BYTES)) {
            /* fstat(2) on a queue descriptor works: it is an inode in the kernel's mqueue filesystem, with an owner
             * and a mode that mq_open checks like open(2) does. Mounted (`mount -t mqueue none /dev/mqueue`),
             * `ls -l /dev/mqueue` shows the same. */
            FileStat stat = Libc.POSIX.fstat(queue.fd);
            String link = Probes.link(Path.of("/proc/self/fd", String.valueOf(queue.fd)));
            return Cell.measured("this host; mode " + FileModes.symbolic(stat.mode()),
                    "mq_open(O_CREAT, 0600) made " + name + " (/proc/self/fd/" + queue.fd + " → " + link + "); fstat on "
                            + "its descriptor shows " + FileModes.symbolic(stat.mode()) + " owner uid " + stat.uid()
                            + ": only that user (and root) can open it by name, and only on this host: the name lives "
                            + "in this kernel's mqueue filesystem.");
        }
    }

    /** N senders, one queue, one receiver: how many messages arrived intact and in each sender's order. */
    record ManySenders(int senders, int sentEach, int intact, int inSenderOrder) {
        int total() {
            return senders * sentEach;
        }
    }

    static final int SENDERS = 4;
    static final int MESSAGES_PER_SENDER = 25;

    ManySenders manySendersProbe() throws IOException {
        String name = Mq.uniqueName();
        try (Queue reader = Queue.create(name, Mq.O_RDONLY | Mq.O_NONBLOCK, SMALL_MAX_MESSAGES, SMALL_MESSAGE_BYTES)) {
            List<Thread> senders = new ArrayList<>();
            AtomicReference<String> failure = new AtomicReference<>();
            CountDownLatch start = new CountDownLatch(1);
            for (int s = 0; s < SENDERS; s++) {
                int id = s;
                Thread sender = new Thread(() -> {
                    try (Queue mine = Queue.open(name, Mq.O_WRONLY | Mq.O_NONBLOCK)) {
                        start.await();
                        for (int m = 0; m < MESSAGES_PER_SENDER; m++) {
                            send(mine, record(id, m), TIMEOUT);
                        }
                    } catch (IOException | InterruptedException e) {
                        failure.compareAndSet(null, "sender " + id + ": " + e.getMessage());
                    }
                }, "mq-sender-" + s);
                sender.setDaemon(true);
                senders.add(sender);
                sender.start();
            }
            start.countDown();
            int[] next = new int[SENDERS];
            int intact = 0;
            int ordered = 0;
            for (int i = 0; i < SENDERS * MESSAGES_PER_SENDER; i++) {
                byte[] got = receive(reader, SMALL_MESSAGE_BYTES, TIMEOUT);
                int sender = got.length > 0 ? got[0] : -1;
                int seq = got.length > 1 ? got[1] : -1;
                if (sender >= 0 && sender < SENDERS && java.util.Arrays.equals(got, record(sender, seq))) {
                    intact++;
                    if (seq == next[sender]) {
                        ordered++;
                    }
                    next[sender] = seq + 1;
                }
            }
            for (Thread sender : senders) {
                try {
                    sender.join(TIMEOUT.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (failure.get() != null) {
                throw new IOException(failure.get());
            }
            return new ManySenders(SENDERS, MESSAGES_PER_SENDER, intact, ordered);
        }
    }

    /** Sender id, sequence number, then a length that differs per message, filled with a checkable pattern. */
    static byte[] record(int sender, int seq) {
        byte[] bytes = new byte[2 + (sender * 37 + seq * 11) % 200];
        bytes[0] = (byte) sender;
        bytes[1] = (byte) seq;
        for (int i = 2; i < bytes.length; i++) {
            bytes[i] = (byte) (sender * 31 + seq * 7 + i);
        }
        return bytes;
    }

    @Override
    public Cell manyClients(Path dir) throws IOException {
        ManySenders seen = manySendersProbe();
        return Cell.measured("many senders: " + seen.intact() + "/" + seen.total() + " intact",
                seen.senders() + " sender threads, each with its own mq_open of one queue, sent " + seen.sentEach()
                        + " messages of different lengths; the one receiver got " + seen.intact() + " of " + seen.total()
                        + " exactly as sent, " + seen.inSenderOrder() + " in their sender's order. Each message is "
                        + "copied in and out whole, so senders never interleave; replies need a queue per client.");
    }
}

package org.ipclab.comparison.viva;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

import jnr.ffi.Pointer;
import org.ipclab.core.ProcFiles;
import org.ipclab.queue.MqLibC;
import org.ipclab.queue.MqNative;
import org.ipclab.report.model.VivaAnswer;
import org.ipclab.sysv.SysvLibC;
import org.ipclab.sysv.SysvNative;

/**
 * POSIX message queues (mq_overview(7)) are in ipc-lab: one is created, used and removed here through ipc-queue's
 * libc binding. A System V queue (msgget(2), svipc(7)) is made, used and removed through ipc-sysv's binding: it
 * shows the selection by message type that POSIX queues lack.
 */
final class PosixVersusSystemVQueues implements VivaExperiment {

    static final byte[] MESSAGE = "Hello, world".getBytes(StandardCharsets.US_ASCII);
    static final Path SYSV_MSGMAX = Path.of("/proc/sys/kernel/msgmax");
    static final Path SYSV_MSGMNB = Path.of("/proc/sys/kernel/msgmnb");
    @Override
    public String id() {
        return "mq-open-vs-msgget";
    }

    @Override
    public String question() {
        return "How do POSIX message queues (mq_open) differ from System V ones (msgget)?";
    }

    /**
     * A private System V queue: two messages of types 7 and 3 sent in that order, then msgrcv(2) asked for type 3
     * first — it skips the older message, which is the multiplexing POSIX queues lack (ipc-lab's sysv-mq transport
     * picks each client's replies this way).
     */
    static String systemV(Measured m) throws IOException {
        if (SysvNative.unavailableReason().isPresent()) {
            return "System V queues could not be used here (" + SysvNative.unavailableReason().get() + ").";
        }
        SysvLibC c = SysvNative.lib();
        /* msgget(2) with IPC_PRIVATE: a new queue no key can find, mode 0600; `ipcs -q` lists it while it lives. */
        int id = c.msgget(SysvNative.IPC_PRIVATE, SysvNative.IPC_CREAT | 0600);
        if (id < 0) {
            throw new IOException("msgget(IPC_PRIVATE) failed: " + SysvNative.errnoText(SysvNative.errno()));
        }
        try {
            String msqid = m.put("sysvMsqid", id);
            send(c, id, 7, "seven");
            send(c, id, 3, "three");
            String first = receive(c, id, 3);
            String then = receive(c, id, 0);
            m.put("sysvFirstReceived", first);
            m.put("sysvThenReceived", then);
            return "Here a private queue (msqid " + msqid + ") got a message of type 7, then one of type 3; "
                    + "msgrcv(type 3) returned '" + first + "' first, skipping the older one, and msgrcv(type 0) then "
                    + "returned '" + then + "': a System V queue lets each reader pick its own messages by type, "
                    + "which is how ipc-lab's sysv-mq server answers many clients on one queue.";
        } finally {
            SysvNative.remove(id); // msgctl(IPC_RMID): without it the queue outlives this process (ipcs -q)
        }
    }

    private static void send(SysvLibC c, int id, long type, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        Pointer message = SysvNative.allocate(SysvNative.MTYPE_BYTES + bytes.length);
        message.putLong(0, type);   // struct msgbuf { long mtype; char mtext[]; }
        message.put(SysvNative.MTYPE_BYTES, bytes, 0, bytes.length);
        if (c.msgsnd(id, message, bytes.length, SysvNative.IPC_NOWAIT) != 0) {
            throw new IOException("msgsnd failed: " + SysvNative.errnoText(SysvNative.errno()));
        }
    }

    private static String receive(SysvLibC c, int id, long type) throws IOException {
        Pointer message = SysvNative.allocate(SysvNative.MTYPE_BYTES + 64);
        long got = c.msgrcv(id, message, 64, type, SysvNative.IPC_NOWAIT);
        if (got < 0) {
            throw new IOException("msgrcv(type " + type + ") failed: " + SysvNative.errnoText(SysvNative.errno()));
        }
        byte[] text = new byte[(int) got];
        message.get(SysvNative.MTYPE_BYTES, text, 0, text.length);
        return new String(text, StandardCharsets.US_ASCII);
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        String msgmax = m.count("sysvMsgmaxBytes", ProcFiles.readLong(SYSV_MSGMAX).orElse(-1));
        String msgmnb = m.count("sysvMsgmnbBytes", ProcFiles.readLong(SYSV_MSGMNB).orElse(-1));
        String systemV = "System V queues are named by a numeric key (from ftok(3)); msgget() returns an identifier, "
                + "not a file descriptor, so poll() cannot wait on one; each message carries a type that msgrcv() can "
                + "select by; a message may hold up to kernel.msgmax = " + msgmax + " bytes and a queue kernel.msgmnb = "
                + msgmnb + " bytes here; a queue outlives every process until msgctl(IPC_RMID) (see ipcs -q). ";
        Optional<String> unavailable = MqNative.unavailableReason();
        if (unavailable.isPresent()) {
            return m.answer(this, "Both keep each message whole in the kernel. " + systemV + "POSIX queues could not be "
                    + "opened on this machine (" + unavailable.get() + "). " + systemV(m), false, "POSIX queues: " + unavailable.get());
        }
        MqLibC c = MqNative.lib();
        String name = m.put("posixName", "/ipclab-viva-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        /* mq_open(3) with O_CREAT|O_EXCL: a new queue with the default limits (fs.mqueue.msg_default and
         * msgsize_default), mode 0600 like a file's. Its descriptor is a file descriptor. */
        int fd = c.mq_open(name, MqNative.O_CREAT | MqNative.O_EXCL | MqNative.O_RDWR | MqNative.O_NONBLOCK, 0600, null);
        if (fd < 0) {
            throw new IOException("mq_open(" + name + ", O_CREAT) failed: " + Errnos.describe(MqNative.errno()));
        }
        try {
            String descriptor = m.put("posixDescriptor", fd + " → " + ProcSelf.link(fd).orElse("?"));
            int l = MqNative.longSize();
            Pointer attr = MqNative.allocate(8 * l);
            if (c.mq_getattr(fd, attr) != 0) {
                throw new IOException("mq_getattr failed: " + Errnos.describe(MqNative.errno()));
            }
            String slots = m.count("posixMaxMessages", attr.getNativeLong(l));
            long size = attr.getNativeLong(2L * l);
            String bytes = m.count("posixMessageBytes", size);
            Pointer message = MqNative.allocate((int) size);
            message.put(0, MESSAGE, 0, MESSAGE.length);
            if (c.mq_timedsend(fd, message, MESSAGE.length, 0, null) != 0) {
                throw new IOException("mq_send failed: " + Errnos.describe(MqNative.errno()));
            }
            long got = c.mq_timedreceive(fd, message, size, null, null);
            if (got < 0) {
                throw new IOException("mq_receive failed: " + Errnos.describe(MqNative.errno()));
            }
            String received = m.put("posixReceivedBytes", got);
            return m.answer(this, "Both keep each message whole in the kernel; they differ in naming and interface. A "
                    + "POSIX queue has a name like a path (here " + name + "), mq_open() returns a file descriptor ("
                    + descriptor + " in /proc/self/fd), messages are ordered by priority and mq_notify() can signal "
                    + "arrivals; this one held " + slots + " messages of up to " + bytes + " bytes by default, and a "
                    + MESSAGE.length + "-byte send came back as one receive of " + received + " bytes. " + systemV
                    + systemV(m), true, "");
        } finally {
            c.mq_close(fd);
            c.mq_unlink(name); // mq_unlink(3): without it the queue stays in kernel memory until reboot
        }
    }
}

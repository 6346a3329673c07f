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

/**
 * POSIX message queues (mq_overview(7)) are in ipc-lab: one is created, used and removed here through ipc-queue's
 * libc binding. System V queues (msgget(2), svipc(7)) are not in ipc-lab yet: only the kernel's limits for them are
 * read, from /proc/sys/kernel, and the answer says that nothing of theirs was measured.
 */
final class PosixVersusSystemVQueues implements VivaExperiment {

    static final byte[] MESSAGE = "Hello, world".getBytes(StandardCharsets.US_ASCII);
    static final Path SYSV_MSGMAX = Path.of("/proc/sys/kernel/msgmax");
    static final Path SYSV_MSGMNB = Path.of("/proc/sys/kernel/msgmnb");
    static final String NOT_IN_PROJECT = "System V message queues (msgget) are not in ipc-lab yet: their side of the "
            + "answer is the kernel's documented behaviour and its limits in /proc/sys/kernel, not a measurement";

    @Override
    public String id() {
        return "mq-open-vs-msgget";
    }

    @Override
    public String question() {
        return "How do POSIX message queues (mq_open) differ from System V ones (msgget)?";
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
                    + "opened on this machine (" + unavailable.get() + "), and ipc-lab has no System V transport, so "
                    + "this run measured neither.", false, NOT_IN_PROJECT + "; POSIX queues: " + unavailable.get());
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
                    + "ipc-lab has no System V transport yet, so that side was not measured.", true, NOT_IN_PROJECT);
        } finally {
            c.mq_close(fd);
            c.mq_unlink(name); // mq_unlink(3): without it the queue stays in kernel memory until reboot
        }
    }
}

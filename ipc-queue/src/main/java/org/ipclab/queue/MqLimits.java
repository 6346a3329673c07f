package org.ipclab.queue;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

import org.ipclab.core.ProcFiles;

import jnr.ffi.Pointer;

/**
 * The kernel's limits on POSIX message queues, as this process sees them (mq_overview(7), "/proc interfaces").
 *
 * <ul>
 *   <li>{@code /proc/sys/fs/mqueue/msg_max}, {@code msgsize_max}: the most messages and the largest message a
 *       queue may be created with. Asking for more fails with EINVAL unless the process has CAP_SYS_RESOURCE,
 *       which root inside a container usually lacks.</li>
 *   <li>{@code msg_default}, {@code msgsize_default}: what a queue gets when mq_open is given no attributes.</li>
 *   <li>{@code queues_max}: queues on the whole system (ENOSPC beyond it).</li>
 *   <li>RLIMIT_MSGQUEUE ({@code ulimit -q}): bytes one <em>user</em> may hold in all its queues together,
 *       counted at creation for the queue's full capacity, empty or not. Beyond it mq_open fails with EMFILE.</li>
 * </ul>
 *
 * @param msgMax         fs.mqueue.msg_max, or -1 if unreadable
 * @param msgsizeMax     fs.mqueue.msgsize_max, or -1
 * @param msgDefault     fs.mqueue.msg_default, or -1
 * @param msgsizeDefault fs.mqueue.msgsize_default, or -1
 * @param queuesMax      fs.mqueue.queues_max, or -1
 * @param rlimitBytes    the soft RLIMIT_MSGQUEUE in bytes, or -1 for unlimited
 */
public record MqLimits(long msgMax, long msgsizeMax, long msgDefault, long msgsizeDefault, long queuesMax,
                       long rlimitBytes) {

    /** What a queue gets when the server is given no sizes: the classic Linux defaults, capped by the limits. */
    public static final int FALLBACK_MAX_MESSAGES = 10;
    public static final int FALLBACK_MESSAGE_BYTES = 8192;

    /*
     * What the kernel charges a queue against RLIMIT_MSGQUEUE (ipc/mqueue.c, mqueue_get_inode): the messages
     * at full size, plus for each message slot a struct msg_msg header and a priority-tree node (48 bytes each
     * on 64-bit kernels). So a 10 x 8192 queue costs 82,880 bytes, and the default 819,200-byte limit holds 9.
     */
    private static final int KERNEL_BYTES_PER_MESSAGE_SLOT = 2 * 48;
    private static final int MQ_PRIO_MAX = 32768;

    private static final Path PROC = Path.of("/proc/sys/fs/mqueue");

    /** The limits as read on first use in this JVM: for defaults, without reading /proc on every connect. */
    static MqLimits atStart() {
        return AtStart.LIMITS;
    }

    private static final class AtStart {
        static final MqLimits LIMITS = read();
    }

    /** Reads the files under /proc/sys/fs/mqueue and getrlimit(RLIMIT_MSGQUEUE). */
    public static MqLimits read() {
        return new MqLimits(proc("msg_max"), proc("msgsize_max"), proc("msg_default"), proc("msgsize_default"),
                proc("queues_max"), rlimitSoft());
    }

    private static long proc(String name) {
        OptionalLong value = ProcFiles.readLong(PROC.resolve(name));
        return value.isPresent() ? value.getAsLong() : -1;
    }

    private static long rlimitSoft() {
        Pointer rlimit = MqNative.allocate(2 * MqNative.longSize());
        if (MqNative.lib().getrlimit(MqNative.RLIMIT_MSGQUEUE, rlimit) != 0) {
            return -1;
        }
        long soft = rlimit.getNativeLong(0);
        return soft < 0 ? -1 : soft;   // RLIM_INFINITY is all ones: -1 as a signed long
    }

    /** Where the mqueue filesystem is mounted (usually /dev/mqueue), if it is: each queue is a file there. */
    public static Optional<String> mqueueMountPoint() {
        return ProcFiles.readIfPresent(Path.of("/proc/self/mounts")).flatMap(mounts -> mounts.lines()
                .map(line -> line.split(" "))
                .filter(fields -> fields.length > 2 && fields[2].equals("mqueue"))
                .map(fields -> fields[1])
                .findFirst());
    }

    /** The depth a new queue gets when none is asked for: 10, or less if msg_max is lower. */
    public int defaultMaxMessages() {
        return (int) (msgMax > 0 ? Math.min(FALLBACK_MAX_MESSAGES, msgMax) : FALLBACK_MAX_MESSAGES);
    }

    /** The message size a new queue gets when none is asked for: 8192, or less if msgsize_max is lower. */
    public int defaultMessageBytes() {
        return (int) (msgsizeMax > 0 ? Math.min(FALLBACK_MESSAGE_BYTES, msgsizeMax) : FALLBACK_MESSAGE_BYTES);
    }

    /** Bytes one queue of this shape costs its owner against RLIMIT_MSGQUEUE. */
    public static long bytesPerQueue(long maxMessages, long messageBytes) {
        return maxMessages * messageBytes + Math.min(maxMessages, MQ_PRIO_MAX) * KERNEL_BYTES_PER_MESSAGE_SLOT;
    }

    /** How many queues of this shape one user may hold, or -1 when RLIMIT_MSGQUEUE is unlimited. */
    public long queuesPerUser(long maxMessages, long messageBytes) {
        return rlimitBytes < 0 ? -1 : rlimitBytes / bytesPerQueue(maxMessages, messageBytes);
    }

    /** One line for the server's log. */
    public String describe(long maxMessages, long messageBytes) {
        String perUser = rlimitBytes < 0 ? "unlimited (RLIMIT_MSGQUEUE is unlimited)"
                : String.format(Locale.ROOT, "%,d bytes = %d queues of this size for this user, the server's and one"
                + " per client (then clients take shallower ones)", rlimitBytes, queuesPerUser(maxMessages, messageBytes));
        return String.format(Locale.ROOT, "kernel limits: fs.mqueue.msg_max %d, msgsize_max %d, queues_max %d;"
                + " RLIMIT_MSGQUEUE (ulimit -q) %s", msgMax, msgsizeMax, queuesMax, perUser);
    }
}

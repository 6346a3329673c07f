package org.ipclab.queue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

import jnr.ffi.Pointer;
import org.ipclab.core.Errnos;

/**
 * One open POSIX message queue descriptor: its name, its shape (how many messages of how many bytes), and
 * the calls on it. Send and receive return errno instead of throwing, because the callers handle the
 * expected outcomes by name (ETIMEDOUT: check the peer is alive, EINTR: retry) and allocate nothing on
 * the way; {@link #failure} turns any other errno into an {@link IOException} that says what to do.
 *
 * <p>What the kernel holds: a queue is a kernel object named {@code /something}, living in a small
 * in-memory filesystem until it is unlinked <em>and</em> the last descriptor is closed, whatever happens to
 * the processes that made it. To see every queue:
 * {@code mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue}, then {@code ls -l /dev/mqueue} and
 * {@code cat /dev/mqueue/ipclab-echo-req} (QSIZE: bytes waiting; NOTIFY, SIGNO, NOTIFY_PID: mq_notify).
 * Man page: mq_overview(7).
 */
final class MqQueue implements AutoCloseable {

    /** The shape of a queue, from mq_getattr(3). */
    record Attributes(long maxMessages, long messageBytes, long currentMessages, boolean nonBlocking) {
    }

    final String name;
    final int fd;
    final int maxMessages;
    final int messageBytes;
    private boolean closed;

    private MqQueue(String name, int fd, int maxMessages, int messageBytes) {
        this.name = name;
        this.fd = fd;
        this.maxMessages = maxMessages;
        this.messageBytes = messageBytes;
    }

    /**
     * Creates a queue that must not exist yet (O_CREAT | O_EXCL), owner-only (mode 0600).
     *
     * @param access O_RDONLY, O_WRONLY or O_RDWR, optionally | O_NONBLOCK
     * @throws FileAlreadyExistsException when a queue of that name exists (a live peer's, or a stale one)
     * @throws MqLimitException when the queue would exceed this user's RLIMIT_MSGQUEUE (EMFILE)
     */
    static MqQueue create(String name, int access, int maxMessages, int messageBytes) throws IOException {
        MqLibC c = MqNative.lib();
        Pointer attr = MqNative.allocate(8 * MqNative.longSize());
        int l = MqNative.longSize();
        attr.putNativeLong(l, maxMessages);       // mq_maxmsg
        attr.putNativeLong(2L * l, messageBytes); // mq_msgsize
        /* mq_open(3) with O_CREAT: the kernel makes a queue of exactly mq_maxmsg slots of mq_msgsize bytes and
         * charges all of it, at once, to this user's RLIMIT_MSGQUEUE; beyond the limit it fails with EMFILE.
         * Sizes above fs.mqueue.msg_max / msgsize_max fail with EINVAL; so does a name that does not start with
         * '/' or holds another '/'. The queue appears as a file in the mqueue filesystem: with it mounted
         * (`mount -t mqueue none /dev/mqueue`), `cat /dev/mqueue/ipclab-echo-req` shows QSIZE, the bytes
         * waiting. The descriptor is a file descriptor too: `ls -l /proc/<pid>/fd` lists it as /ipclab-...
         * Watch the calls: `strace -f -e trace=mq_open,mq_unlink -p <pid>` (glibc strips the leading '/'
         * before the system call, so strace shows the name without it). Man pages: mq_open(3), mq_overview(7). */
        int fd = c.mq_open(name, MqNative.O_CREAT | MqNative.O_EXCL | access, 0600, attr);
        if (fd < 0) {
            int errno = MqNative.errno();
            if (errno == MqNative.EEXIST) {
                throw new FileAlreadyExistsException(name, null, "a message queue of that name exists");
            }
            if (errno == MqNative.EMFILE) {
                throw new MqLimitException(explainOpen(name, errno, true, maxMessages, messageBytes));
            }
            throw new IOException(explainOpen(name, errno, true, maxMessages, messageBytes));
        }
        return new MqQueue(name, fd, maxMessages, messageBytes);
    }

    /**
     * Opens an existing queue and reads its shape.
     *
     * @throws NoSuchFileException when there is no queue of that name (ENOENT)
     */
    static MqQueue open(String name, int access) throws IOException {
        /* mq_open(3) without O_CREAT: the queue must exist (ENOENT otherwise, which is how a client learns
         * that no server has made its queue) and the caller must have permission for the access it asks
         * (EACCES: the queue's mode is 0600, like a private file). */
        int fd = MqNative.lib().mq_open(name, access);
        if (fd < 0) {
            int errno = MqNative.errno();
            if (errno == MqNative.ENOENT) {
                throw new NoSuchFileException(name, null, "no message queue of that name");
            }
            throw new IOException(explainOpen(name, errno, false, 0, 0));
        }
        try {
            Attributes attributes = attributes(name, fd);
            return new MqQueue(name, fd, (int) attributes.maxMessages(), (int) attributes.messageBytes());
        } catch (IOException e) {
            MqNative.lib().mq_close(fd);
            throw e;
        }
    }

    /** True when a queue of this name exists (it can be opened, or exists but is not ours to open). */
    static boolean exists(String name) {
        int fd = MqNative.lib().mq_open(name, MqNative.O_RDONLY);
        if (fd >= 0) {
            MqNative.lib().mq_close(fd);
            return true;
        }
        return MqNative.errno() != MqNative.ENOENT;
    }

    /**
     * Removes the name. The queue itself lives on until its last descriptor is closed, so processes that
     * still have it open keep sending and receiving; nobody new can open it.
     *
     * @return false when there was no such queue
     */
    static boolean unlink(String name) throws IOException {
        /* mq_unlink(3): like unlink(2) for a file. Without it a queue outlives every process that used it,
         * holding its memory against the owner's RLIMIT_MSGQUEUE until reboot: the reason for the stale
         * queue handling in PosixMqEchoServer. */
        if (MqNative.lib().mq_unlink(name) == 0) {
            return true;
        }
        int errno = MqNative.errno();
        if (errno == MqNative.ENOENT) {
            return false;
        }
        throw new IOException("cannot remove queue " + name + " (" + Errnos.name(errno) + ")"
                + (errno == MqNative.EACCES ? ": it belongs to another user" : ""));
    }

    Attributes attributes() throws IOException {
        return attributes(name, fd);
    }

    private static Attributes attributes(String name, int fd) throws IOException {
        Pointer attr = MqNative.allocate(8 * MqNative.longSize());
        int l = MqNative.longSize();
        /* mq_getattr(3): the queue's shape and how many messages wait in it right now (mq_curmsgs), the same
         * numbers `cat /dev/mqueue/<name>` shows once the mqueue filesystem is mounted. */
        if (MqNative.lib().mq_getattr(fd, attr) != 0) {
            throw new IOException("mq_getattr on " + name + " failed (" + Errnos.name(MqNative.errno()) + ")");
        }
        return new Attributes(attr.getNativeLong(l), attr.getNativeLong(2L * l), attr.getNativeLong(3L * l),
                (attr.getNativeLong(0) & MqNative.O_NONBLOCK) != 0);
    }

    /**
     * Sends one message of {@code length} bytes (0 is a valid, empty message).
     *
     * @param priority 0 (lowest) to 32767: the queue hands out higher priorities first, and equal ones in order
     * @return 0, or the errno: ETIMEDOUT when the queue stayed full until the deadline, EINTR when a signal
     *         arrived first (call again with the same deadline), EAGAIN on a full O_NONBLOCK queue
     */
    int send(Pointer message, int length, int priority, Pointer absTimeout) {
        /* mq_timedsend(3): the kernel copies the message into the queue, ahead of every message of lower
         * priority and behind those of equal or higher, and wakes one receiver. A full queue (mq_curmsgs ==
         * mq_maxmsg) is back pressure: the call sleeps until a slot frees up or the deadline passes (ETIMEDOUT);
         * with O_NONBLOCK it fails at once with EAGAIN. A message longer than mq_msgsize fails with EMSGSIZE:
         * nothing is split for us. While messages wait, QSIZE in /dev/mqueue/<name> counts their bytes.
         * Watch it: `strace -f -e trace=mq_timedsend,mq_timedreceive -p <pid>`. Man page: mq_send(3). */
        if (MqNative.lib().mq_timedsend(fd, message, length, priority, absTimeout) == 0) {
            return 0;
        }
        return MqNative.errno();
    }

    /**
     * Receives the oldest message of the highest priority into {@code buffer}.
     *
     * @param capacity the buffer's size: at least {@link #messageBytes}, or the call fails with EMSGSIZE
     * @param priority where the kernel writes the message's priority (an unsigned int), or null
     * @return the message's length (0 is a valid, empty message), or minus the errno (-ETIMEDOUT, -EINTR, ...)
     */
    int receive(Pointer buffer, int capacity, Pointer priority, Pointer absTimeout) {
        /* mq_timedreceive(3): the kernel copies the whole message out, or nothing: a message is never split,
         * and its boundary is kept (unlike a pipe, where writes run together). The buffer must hold the
         * queue's mq_msgsize even when the waiting message is shorter, or EMSGSIZE. An empty queue makes the
         * caller sleep until a message arrives or the deadline passes (ETIMEDOUT). A queue has no "other end":
         * when every sender has died, a receiver is not told (no EOF as with a pipe); it just waits.
         * Watch it: `strace -f -e trace=mq_timedsend,mq_timedreceive -p <pid>`. Man page: mq_receive(3). */
        long n = MqNative.lib().mq_timedreceive(fd, buffer, capacity, priority, absTimeout);
        if (n >= 0) {
            return (int) n;
        }
        return -MqNative.errno();
    }

    /** An IOException for an errno from {@link #send} or {@link #receive}, saying what it means here. */
    IOException failure(String operation, int errno, int length) {
        String what = switch (errno) {
            case MqNative.EMSGSIZE -> operation.equals("send")
                    ? "a message of " + length + " bytes does not fit: the queue's messages hold at most " + messageBytes
                    + " bytes (mq_msgsize). Split it into pieces of at most " + messageBytes + " bytes"
                    : "a receive buffer of " + length + " bytes is smaller than the queue's message size of "
                    + messageBytes + " bytes: mq_receive needs room for the largest message the queue may hold, "
                    + "even when a shorter one is waiting (read mq_msgsize with mq_getattr)";
            case MqNative.EAGAIN -> operation.equals("send")
                    ? "the queue is full (it holds its maximum of " + maxMessages + " messages) and was opened"
                    + " O_NONBLOCK: the receiver is not keeping up; wait and retry, or send with a deadline"
                    : "the queue is empty and was opened O_NONBLOCK; wait with a deadline instead";
            case MqNative.ETIMEDOUT -> operation.equals("send")
                    ? "the queue stayed full until the deadline: nobody is receiving from it"
                    : "no message arrived before the deadline";
            case MqNative.EBADF -> "the descriptor is closed, or not open for " + (operation.equals("send") ? "writing" : "reading");
            case MqNative.EINTR -> "a signal interrupted the wait (retry with the same deadline)";
            default -> "unexpected error";
        };
        return new IOException(operation + " on queue " + name + " failed (" + Errnos.name(errno) + "): " + what);
    }

    /** Closes the descriptor (the queue stays until unlinked). Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        MqNative.lib().mq_close(fd);
    }

    @Override
    public String toString() {
        return name + " (" + maxMessages + " messages of " + messageBytes + " bytes)";
    }

    /** What an mq_open errno means, and what to do about it. */
    static String explainOpen(String name, int errno, boolean creating, int maxMessages, int messageBytes) {
        String verb = creating ? "cannot create queue " : "cannot open queue ";
        String head = verb + name + " (" + Errnos.name(errno) + "): ";
        MqLimits limits = MqLimits.read();
        return head + switch (errno) {
            case MqNative.EINVAL -> !MqNames.isValidQueueName(name)
                    ? "a queue name is '/' followed by up to 255 characters with no other '/'"
                    : String.format(Locale.ROOT, "%d messages of %d bytes is more than this kernel allows per queue"
                    + " (fs.mqueue.msg_max %d, fs.mqueue.msgsize_max %d; only a process with CAP_SYS_RESOURCE"
                    + " may exceed them, and root in a container usually lacks it). Ask for less, or raise the"
                    + " limits as root: sysctl -w fs.mqueue.msg_max=<n> fs.mqueue.msgsize_max=<bytes>",
                    maxMessages, messageBytes, limits.msgMax(), limits.msgsizeMax());
            case MqNative.EMFILE -> creating
                    ? String.format(Locale.ROOT, "this user's message queues together would hold more than"
                    + " RLIMIT_MSGQUEUE allows (%s in all; this queue, %d x %d bytes, would cost %,d more), or this"
                    + " process has too many open files. Close other ipc-lab clients and servers (each holds a"
                    + " queue), or raise the limit: ulimit -q <bytes> (raising the hard limit needs root)",
                    limits.rlimitBytes() < 0 ? "unlimited" : String.format(Locale.ROOT, "%,d bytes", limits.rlimitBytes()),
                    maxMessages, messageBytes, MqLimits.bytesPerQueue(maxMessages, messageBytes))
                    : "this process has too many open files and queues (RLIMIT_NOFILE, ulimit -n)";
            case MqNative.EACCES -> "permission denied: the queue belongs to another user (ipc-lab creates them mode 0600)";
            case MqNative.ENOSPC -> "the system-wide limit of " + limits.queuesMax()
                    + " queues (fs.mqueue.queues_max) is reached; remove unused queues or raise it";
            case MqNative.ENAMETOOLONG -> "the name is longer than 255 characters";
            case MqNative.ENFILE -> "the system-wide limit on open files is reached";
            case MqNative.ENOMEM -> "the kernel is out of memory";
            case MqNative.ENOSYS -> "this kernel has no POSIX message queues (CONFIG_POSIX_MQUEUE)";
            default -> "unexpected error";
        };
    }
}

package org.ipclab.queue;

import java.io.IOException;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import jnr.ffi.Pointer;
import org.ipclab.core.Errnos;
import org.ipclab.queue.MqLibC;
import org.ipclab.queue.MqNative;

/**
 * POSIX message queue calls for the experiments, through ipc-queue's libc binding ({@link MqNative}); every
 * result comes back with its errno instead of as an exception.
 *
 * <p>A queue is a kernel object with a name like {@code /ipclab-props-123-1}; its descriptor is a file descriptor
 * ({@code ls -l /proc/<pid>/fd} shows the name). Man page: mq_overview(7).
 */
final class Mq {

    static final int O_RDONLY = MqNative.O_RDONLY;
    static final int O_WRONLY = MqNative.O_WRONLY;
    static final int O_RDWR = MqNative.O_RDWR;
    static final int O_NONBLOCK = MqNative.O_NONBLOCK;
    static final int EMFILE = MqNative.EMFILE;

    private static final AtomicInteger NAMES = new AtomicInteger();

    private Mq() {
    }

    /** ipc-queue's binding, or the reason queues cannot be used here as an IOException. */
    static MqLibC lib() throws IOException {
        Optional<String> unavailable = MqNative.unavailableReason();
        if (unavailable.isPresent()) {
            throw new IOException(unavailable.get());
        }
        return MqNative.lib();
    }

    static int errno() {
        return MqNative.errno();
    }

    /** Native memory: the kernel copies messages straight from and into it. */
    static Pointer allocate(int bytes) throws IOException {
        lib();
        return MqNative.allocate(bytes);
    }

    /** A name no other run uses: /ipclab-props-&lt;pid&gt;-&lt;n&gt;. */
    static String uniqueName() {
        return name(NAMES.incrementAndGet());
    }

    private static String name(int n) {
        return "/ipclab-props-" + ProcessHandle.current().pid() + "-" + n;
    }

    /** Queues this process named that still exist (none should, after the experiments). */
    static java.util.List<String> leftovers() throws IOException {
        java.util.List<String> left = new java.util.ArrayList<>();
        for (int n = 1; n <= NAMES.get(); n++) {
            int fd = lib().mq_open(name(n), O_RDONLY | O_NONBLOCK);
            if (fd >= 0) {
                lib().mq_close(fd);
                left.add(name(n));
            }
        }
        return left;
    }

    /** One descriptor of a queue; closing it also removes the name when this descriptor created it. */
    static final class Queue implements AutoCloseable {
        final String name;
        final int fd;
        private final boolean owner;
        private boolean closed;
        private boolean unlinked;

        private Queue(String name, int fd, boolean owner) {
            this.name = name;
            this.fd = fd;
            this.owner = owner;
        }

        /**
         * mq_open(3) with O_CREAT|O_EXCL: the kernel makes a queue of {@code maxMessages} slots of
         * {@code messageBytes} (both 0: the defaults fs.mqueue.msg_default / msgsize_default) and charges it to this
         * user's RLIMIT_MSGQUEUE. Mode 0600: only this user may open it. Watch: `strace -f -e trace=mq_open`.
         */
        static Queue create(String name, int access, int maxMessages, int messageBytes) throws IOException {
            MqLibC c = lib();
            Pointer attr = null;
            if (maxMessages > 0) {
                int l = MqNative.longSize();
                attr = allocate(8 * l);
                attr.putNativeLong(l, maxMessages);
                attr.putNativeLong(2L * l, messageBytes);
            }
            int fd = c.mq_open(name, MqNative.O_CREAT | MqNative.O_EXCL | access, 0600, attr);
            if (fd < 0) {
                int errno = errno();
                throw new OpenFailed(errno, "mq_open(" + name + ", O_CREAT) failed: " + Errnos.text(errno)
                        + "; too many queues for this user (RLIMIT_MSGQUEUE, `ulimit -q`) gives EMFILE");
            }
            return new Queue(name, fd, true);
        }

        /** mq_open(3) of an existing queue: the same queue, another descriptor (any process of the right user). */
        static Queue open(String name, int access) throws IOException {
            int fd = lib().mq_open(name, access);
            if (fd < 0) {
                throw new IOException("mq_open(" + name + ") failed: " + Errnos.text(errno()));
            }
            return new Queue(name, fd, false);
        }

        /** mq_getattr(3): {maxmsg, msgsize, curmsgs}. */
        long[] attributes() throws IOException {
            int l = MqNative.longSize();
            Pointer attr = allocate(8 * l);
            if (lib().mq_getattr(fd, attr) != 0) {
                throw new IOException("mq_getattr(" + name + ") failed: " + Errnos.text(errno()));
            }
            return new long[] {attr.getNativeLong(l), attr.getNativeLong(2L * l), attr.getNativeLong(3L * l)};
        }

        /**
         * mq_send (mq_timedsend(3) with no deadline): the kernel copies the message into a free slot, or, with
         * O_NONBLOCK and no free slot, fails with EAGAIN. Returns 0 or the errno.
         */
        int send(Pointer message, int length) throws IOException {
            return lib().mq_timedsend(fd, message, length, 0, null) == 0 ? 0 : errno();
        }

        /**
         * mq_receive (mq_timedreceive(3) with no deadline): takes the oldest message out whole, never part of one;
         * returns its length, or minus the errno (-EAGAIN: empty and O_NONBLOCK; -EBADF: not open for reading).
         */
        int receive(Pointer buffer, int capacity) throws IOException {
            long n = lib().mq_timedreceive(fd, buffer, capacity, null, null);
            return n >= 0 ? (int) n : -errno();
        }

        /** mq_close(3) only: the queue, and every message in it, stays behind for the next mq_open. */
        synchronized void closeKeepingQueue() {
            if (!closed) {
                closed = true;
                MqNative.lib().mq_close(fd);
            }
        }

        @Override
        public synchronized void close() {
            closeKeepingQueue();
            if (owner && !unlinked) {
                unlinked = true;
                /* mq_unlink(3): removes the name; without it the queue and its messages stay in kernel memory
                 * until reboot, charged to this user. */
                unlink(name);
            }
        }
    }

    /** mq_open failed; {@link #errno} says why (EMFILE: this user's RLIMIT_MSGQUEUE is used up). */
    static final class OpenFailed extends IOException {
        private static final long serialVersionUID = 1L;
        final int errno;

        OpenFailed(int errno, String message) {
            super(message);
            this.errno = errno;
        }
    }

    /** mq_unlink(3); true when a queue of that name existed. */
    static boolean unlink(String name) {
        return MqNative.unavailableReason().isEmpty() && MqNative.lib().mq_unlink(name) == 0;
    }
}

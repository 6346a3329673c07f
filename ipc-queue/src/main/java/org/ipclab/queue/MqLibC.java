package org.ipclab.queue;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.Variadic;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The C library functions behind POSIX message queues, bound with jnr-ffi (see {@link MqNative} for the
 * loading). Public only because jnr-ffi generates the implementation in a class loader of its own; use
 * {@link MqQueue}, which turns every error into a message.
 *
 * <p>Each call returns -1 (or a negative {@code ssize_t}) on failure and leaves the reason in errno, which
 * jnr-ffi saves right after the call: {@link MqNative#errno()}. An {@code mqd_t} is an int on Linux: a
 * file descriptor, listed in {@code /proc/<pid>/fd} as {@code /ipclab-...} with type "mqueue".
 * Man pages: mq_overview(7), mq_open(3), mq_send(3), mq_receive(3), mq_getattr(3), mq_unlink(3).
 */
public interface MqLibC {

    /*
     * mq_open is variadic in C: mqd_t mq_open(const char *name, int oflag, ...), the mode and the attributes
     * following only with O_CREAT. A variadic function may expect its arguments elsewhere than a fixed one
     * (on x86-64 the caller also says in %al how many vector registers carry arguments), so both bindings
     * say where the fixed part ends and jnr-ffi makes a true variadic call (libffi's ffi_prep_cif_var).
     */

    /** Creates (O_CREAT) or opens a queue: mode like a file's (0600), attr a struct mq_attr or null. */
    @Variadic(fixedCount = 2)
    int mq_open(String name, int oflag, int mode, Pointer attr);

    /** Opens an existing queue. */
    @Variadic(fixedCount = 2)
    int mq_open(String name, int oflag);

    int mq_close(int mqdes);

    int mq_unlink(String name);

    /** Fills a struct mq_attr: mq_flags, mq_maxmsg, mq_msgsize, mq_curmsgs (four longs, then padding). */
    int mq_getattr(int mqdes, Pointer attr);

    /** Waits at most until the absolute CLOCK_REALTIME time in {@code absTimeout} (a struct timespec). */
    int mq_timedsend(int mqdes, Pointer msg, @size_t long length, int priority, Pointer absTimeout);

    /** {@code length} must be at least the queue's mq_msgsize, or the call fails with EMSGSIZE. */
    @ssize_t
    long mq_timedreceive(int mqdes, Pointer msg, @size_t long length, Pointer priority, Pointer absTimeout);

    /** struct rlimit: rlim_cur, rlim_max (unsigned longs). */
    int getrlimit(int resource, Pointer rlimit);

    int setrlimit(int resource, Pointer rlimit);

    /** With signal 0 nothing is sent: 0 means the process exists, ESRCH that it does not. */
    int kill(int pid, int signal);

    int getpid();
}

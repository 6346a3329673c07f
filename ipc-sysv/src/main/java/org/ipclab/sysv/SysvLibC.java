package org.ipclab.sysv;

import jnr.ffi.Pointer;
import jnr.ffi.types.size_t;
import jnr.ffi.types.ssize_t;

/**
 * The C library's System V message queue calls, bound with jnr-ffi (loaded by {@link SysvNative}). Public only
 * because jnr-ffi generates the implementation in a class loader of its own; use {@link SysvNative}.
 *
 * <p>Each call returns -1 on failure and leaves the reason in errno, which jnr-ffi saves right after the call.
 * A queue is named by a key (an int) and, once made, by its msqid, a number valid in every process of the host
 * (not a file descriptor: nothing in /proc/PID/fd; see `ipcs -q` or /proc/sysvipc/msg).
 * Man pages: sysvipc(7), msgget(2), msgsnd(2), msgrcv(2), msgctl(2).
 */
public interface SysvLibC {

    /** Finds or (IPC_CREAT) makes the queue of {@code key}; returns its msqid. */
    int msgget(int key, int msgflg);

    /** {@code msgp} points at a {@code struct msgbuf}: a long mtype (> 0), then {@code msgsz} bytes of mtext. */
    int msgsnd(int msqid, Pointer msgp, @size_t long msgsz, int msgflg);

    /**
     * Takes one message into {@code msgp} (mtype, then at most {@code msgsz} bytes). {@code msgtyp} 0: the oldest
     * message; above 0: the oldest of that type; below 0: the lowest type up to |msgtyp|. Returns the mtext length.
     */
    @ssize_t
    long msgrcv(int msqid, Pointer msgp, @size_t long msgsz, long msgtyp, int msgflg);

    /** IPC_STAT fills a struct msqid_ds; IPC_RMID removes the queue at once (waiters wake with EIDRM). */
    int msgctl(int msqid, int cmd, Pointer buf);

    /** With signal 0 nothing is sent: 0 means the process exists, ESRCH that it does not. */
    int kill(int pid, int signal);

    int getpid();
}

package org.ipclab.sysv;

import static org.ipclab.sysv.SysvNative.EEXIST;
import static org.ipclab.sysv.SysvNative.IPC_CREAT;
import static org.ipclab.sysv.SysvNative.IPC_EXCL;
import static org.ipclab.sysv.SysvNative.IPC_NOWAIT;
import static org.ipclab.sysv.SysvNative.MTYPE_BYTES;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Consumer;

import jnr.ffi.Pointer;

/** Making a server's queue, and reclaiming one that a killed server left behind. */
final class SysvMqQueues {

    static final int MODE = 0600;

    private SysvMqQueues() {
    }

    /**
     * Creates the queue of {@code key} with mode 0600 and returns its msqid. If one exists, it is a killed server's
     * when nobody who used it lives (IPC_STAT: msg_lspid, the last sender, and msg_lrpid, the last receiver); if
     * someone does, a HELLO tells whether a server still answers on it. A stale queue is removed and made anew.
     */
    static int claim(String name, int key, Consumer<String> log) throws IOException {
        for (int attempt = 0; attempt < 2; attempt++) {
            /* msgget(2) with IPC_CREAT | IPC_EXCL: a new queue for this key, or EEXIST. The kernel keeps it in its
             * own memory, not in any file system; `ipcs -q` lists it (key, msqid, owner, perms, used-bytes). */
            int msqid = SysvNative.lib().msgget(key, IPC_CREAT | IPC_EXCL | MODE);
            if (msqid >= 0) {
                markAsUsed(msqid);
                return msqid;
            }
            int errno = SysvNative.errno();
            if (errno != EEXIST) {
                throw new IOException("msgget(" + SysvMqProtocol.hex(key) + ", IPC_CREAT) failed: "
                        + SysvNative.errnoText(errno) + (errno == SysvNative.ENOSPC
                        ? " (kernel.msgmni queues exist already: remove unused ones with ipcrm)" : ""));
            }
            int old = SysvNative.lib().msgget(key, 0);
            if (old < 0) {
                continue;   // removed meanwhile: try again
            }
            Optional<SysvNative.Status> status = SysvNative.status(old);
            if (status.isEmpty()) {
                continue;
            }
            SysvNative.Status s = status.get();
            if (s.mode() != MODE) {
                throw new IOException("key " + SysvMqProtocol.hex(key) + " of name '" + name + "' is held by queue " + old
                        + " (mode " + Integer.toOctalString(s.mode()) + ") that ipc-lab did not make; choose another"
                        + " --name, or remove it with ipcrm -q " + old);
            }
            boolean someoneAlive = alive(s.lspid()) || alive(s.lrpid());
            if (someoneAlive) {
                int serverPid = probe(old);
                if (serverPid > 0) {
                    throw new IOException("a sysv-mq server (pid " + serverPid + ") already serves '" + name
                            + "' on queue " + old + " (key " + SysvMqProtocol.hex(key) + "); stop it or choose another --name");
                }
            }
            if (SysvNative.remove(old)) {
                log.accept("Removed stale queue " + old + " (key " + SysvMqProtocol.hex(key) + ") left by a server that"
                        + " was killed: its last sender (pid " + s.lspid() + ") and receiver (pid " + s.lrpid() + ") "
                        + (someoneAlive ? "include a live process, but no server answered" : "have exited")
                        + "; " + s.qnum() + " messages discarded");
            }
        }
        throw new IOException("could not create the queue of key " + SysvMqProtocol.hex(key) + ": another process keeps"
                + " making and removing it");
    }

    private static boolean alive(int pid) {
        return SysvNative.isAlive(pid);   // our own pid too: another server of this JVM may own it
    }

    /**
     * A fresh queue's msg_lspid and msg_lrpid are 0 until someone sends and receives; a message to and from
     * ourselves makes them this server's pid at once, so that a second server started now finds a live owner.
     */
    private static void markAsUsed(int msqid) {
        Pointer m = SysvNative.allocate(MTYPE_BYTES + SysvMqProtocol.TAG_BYTES);
        m.putLong(0, SysvMqProtocol.SERVER_TYPE);
        m.putLong(MTYPE_BYTES, 0);
        SysvNative.lib().msgsnd(msqid, m, SysvMqProtocol.TAG_BYTES, IPC_NOWAIT);
        SysvNative.lib().msgrcv(msqid, m, SysvMqProtocol.TAG_BYTES, SysvMqProtocol.SERVER_TYPE, IPC_NOWAIT);
    }

    /** Says HELLO on {@code msqid} and waits {@link SysvMqEchoServer#PROBE_MS} for an ACK: the server's pid, or 0. */
    private static int probe(int msqid) {
        long replyType = SysvMqProtocol.replyType(SysvNative.pid(), 0xFFFFFF);
        Pointer m = SysvNative.allocate(MTYPE_BYTES + 64);
        m.putLong(0, SysvMqProtocol.SERVER_TYPE);
        m.putLong(MTYPE_BYTES, -replyType);
        if (SysvNative.lib().msgsnd(msqid, m, SysvMqProtocol.TAG_BYTES, IPC_NOWAIT) != 0) {
            return 0;   // full: nobody reads it
        }
        long giveUp = System.currentTimeMillis() + SysvMqEchoServer.PROBE_MS;
        while (System.currentTimeMillis() < giveUp) {
            long n = SysvNative.lib().msgrcv(msqid, m, 64, replyType, IPC_NOWAIT);
            if (n >= SysvMqProtocol.ACK_BYTES) {
                int serverPid = m.getInt(MTYPE_BYTES);
                m.putLong(0, SysvMqProtocol.SERVER_TYPE);
                m.putLong(MTYPE_BYTES, replyType);   // END: the server forgets the probe
                SysvNative.lib().msgsnd(msqid, m, SysvMqProtocol.TAG_BYTES, IPC_NOWAIT);
                drainSoon(msqid, replyType);
                return serverPid;
            }
            sleepMs(10);
        }
        return 0;
    }

    /** Takes the live server's end-of-echo for the probe out of its queue (waits at most half a second). */
    private static void drainSoon(int msqid, long replyType) {
        Pointer m = SysvNative.allocate(MTYPE_BYTES + 64);
        long giveUp = System.currentTimeMillis() + 500;
        while (System.currentTimeMillis() < giveUp) {
            long n = SysvNative.lib().msgrcv(msqid, m, 64, replyType, IPC_NOWAIT | SysvNative.MSG_NOERROR);
            if (n == 0) {
                return;
            }
            if (n < 0) {
                sleepMs(10);
            }
        }
    }

    static void sleepMs(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

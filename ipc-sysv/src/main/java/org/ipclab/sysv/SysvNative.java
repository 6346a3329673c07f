package org.ipclab.sysv;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import jnr.ffi.LibraryLoader;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import org.ipclab.core.Errnos;
import org.ipclab.core.ProcFiles;

/**
 * The loaded C library, errno, the Linux constants of System V IPC, struct msqid_ds and the kernel's limits.
 * Loading happens once; if it fails (not Linux, no msgget) {@link #unavailableReason()} says why and the
 * transport is skipped rather than failed.
 */
public final class SysvNative {

    // <sys/ipc.h> and <sys/msg.h>: the same on every Linux architecture ipc-lab runs on.
    public static final int IPC_PRIVATE = 0;
    public static final int IPC_CREAT = 01000;
    public static final int IPC_EXCL = 02000;
    public static final int IPC_NOWAIT = 04000;
    public static final int MSG_NOERROR = 010000;
    public static final int IPC_RMID = 0;
    public static final int IPC_STAT = 2;

    public static final int ESRCH = 3;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int E2BIG = 7;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int ENOSYS = 38;
    public static final int ENOMSG = 42;
    public static final int EIDRM = 43;

    /** The long mtype in front of every message's text. */
    public static final int MTYPE_BYTES = 8;

    /*
     * struct msqid_ds as glibc lays it out on 64-bit Linux (x86-64 and arm64 alike; checked with offsetof):
     * msg_perm (struct ipc_perm: __key, uid, gid, cuid, cgid, mode ...) at 0, __msg_cbytes (bytes now queued)
     * at 72, msg_qnum (messages now queued) at 80, msg_qbytes (the most bytes the queue may hold) at 88,
     * msg_lspid (pid of the last msgsnd) at 96, msg_lrpid (of the last msgrcv) at 100; 120 bytes in all.
     */
    public static final int MSQID_DS_BYTES = 120;
    static final int DS_KEY = 0;
    static final int DS_UID = 4;
    static final int DS_CUID = 12;
    static final int DS_MODE = 20;
    static final int DS_CBYTES = 72;
    static final int DS_QNUM = 80;
    static final int DS_QBYTES = 88;
    static final int DS_LSPID = 96;
    static final int DS_LRPID = 100;

    private static final Loaded LOADED = load();

    private record Loaded(SysvLibC lib, jnr.ffi.Runtime runtime, String failure) {
    }

    private SysvNative() {
    }

    private static Loaded load() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (!os.contains("linux")) {
            return new Loaded(null, null, "System V message queues are wired for Linux only (this is " + os + ")");
        }
        if (System.getProperty("os.arch", "").contains("32") || !System.getProperty("sun.arch.data.model", "64").equals("64")) {
            return new Loaded(null, null, "struct msqid_ds is laid out here for 64-bit Linux only");
        }
        SysvLibC lib;
        try {
            lib = LibraryLoader.create(SysvLibC.class).library("c").load();
        } catch (UnsatisfiedLinkError | IllegalStateException e) {
            return new Loaded(null, null, "jnr-ffi could not load the C library: " + e.getMessage());
        }
        jnr.ffi.Runtime runtime = jnr.ffi.Runtime.getRuntime(lib);
        // A key nobody uses, without IPC_CREAT: ENOENT means the kernel has System V queues, ENOSYS that it has not.
        if (lib.msgget(0x1AFFFFFF, 0) < 0 && runtime.getLastError() == ENOSYS) {
            return new Loaded(null, null, "this kernel has no System V IPC (built without CONFIG_SYSVIPC)");
        }
        return new Loaded(lib, runtime, null);
    }

    /** Why System V queues cannot be used here, or empty when they can. */
    public static Optional<String> unavailableReason() {
        return Optional.ofNullable(LOADED.failure());
    }

    public static SysvLibC lib() {
        if (LOADED.failure() != null) {
            throw new IllegalStateException(LOADED.failure());
        }
        return LOADED.lib();
    }

    /** errno of the last call on this thread (jnr-ffi saves it right after every call). */
    public static int errno() {
        return LOADED.runtime().getLastError();
    }

    /** Native memory outside the Java heap: msgsnd copies from it, msgrcv into it. */
    public static Pointer allocate(int bytes) {
        lib();
        return Memory.allocateDirect(LOADED.runtime(), Math.max(1, bytes), true);
    }

    /**
     * Native memory seen two ways: as a direct ByteBuffer, so that Java copies bytes in and out with plain memory
     * copies (a jnr Pointer's put and get of a byte[] are a JNI call each), and as a Pointer to the same address for
     * msgsnd and msgrcv. The buffer owns the memory: keep this record, not just its pointer.
     */
    public record NativeBuffer(java.nio.ByteBuffer bytes, Pointer pointer) {
    }

    public static NativeBuffer allocateBuffer(int bytes) {
        lib();
        java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocateDirect(Math.max(1, bytes))
                .order(java.nio.ByteOrder.nativeOrder());
        long address = Pointer.wrap(LOADED.runtime(), buffer).address();
        return new NativeBuffer(buffer, Pointer.wrap(LOADED.runtime(), address, buffer.capacity()));
    }

    public static int pid() {
        return lib().getpid();
    }

    /** Whether process {@code pid} exists: kill(pid, 0) checks and sends nothing; EPERM means it exists. */
    public static boolean isAlive(int pid) {
        if (pid <= 0) {
            return false;
        }
        return lib().kill(pid, 0) == 0 || errno() != ESRCH;
    }

    public static String errnoText(int errno) {
        return Errnos.text(errno);
    }

    /** msgctl(IPC_STAT) into {@code ds}; returns 0 or the errno. */
    public static int stat(int msqid, Pointer ds) {
        /* msgctl(2) IPC_STAT: the kernel copies the queue's struct msqid_ds out: owner and mode, bytes and messages
         * now queued, its byte limit, and who sent and received last. `ipcs -q -i MSQID` prints the same. */
        return lib().msgctl(msqid, IPC_STAT, ds) == 0 ? 0 : errno();
    }

    /** msgctl(IPC_RMID): true when it was removed, false when it was already gone. */
    public static boolean remove(int msqid) {
        /* msgctl(2) IPC_RMID: the queue and every message in it go at once, and every process asleep in msgsnd or
         * msgrcv on it wakes with EIDRM. Nothing else removes a System V queue: it outlives every process until this
         * call, `ipcrm -q MSQID`, or a reboot. */
        if (lib().msgctl(msqid, IPC_RMID, null) == 0) {
            return true;
        }
        int errno = errno();
        if (errno == EINVAL || errno == EIDRM) {
            return false;
        }
        throw new IllegalStateException("msgctl(" + msqid + ", IPC_RMID) failed: " + Errnos.text(errno));
    }

    /** What struct msqid_ds says, read after {@link #stat}. */
    public record Status(int key, int uid, int creatorUid, int mode, long cbytes, long qnum, long qbytes, int lspid,
                         int lrpid) {

        static Status of(Pointer ds) {
            return new Status(ds.getInt(DS_KEY), ds.getInt(DS_UID), ds.getInt(DS_CUID), ds.getShort(DS_MODE) & 0777,
                    ds.getLong(DS_CBYTES), ds.getLong(DS_QNUM), ds.getLong(DS_QBYTES), ds.getInt(DS_LSPID),
                    ds.getInt(DS_LRPID));
        }
    }

    /** IPC_STAT as a record; empty when the queue is gone. */
    public static Optional<Status> status(int msqid) {
        Pointer ds = allocate(MSQID_DS_BYTES);
        return stat(msqid, ds) == 0 ? Optional.of(Status.of(ds)) : Optional.empty();
    }

    /**
     * The kernel's System V queue limits: msgmax (bytes of one message), msgmnb (a new queue's msg_qbytes: the
     * bytes it may hold in all) and msgmni (queues on the host). Root may raise msg_qbytes above msgmnb; nobody may
     * send a message above msgmax (EINVAL).
     */
    public record Limits(int msgmax, int msgmnb, int msgmni) {

        public static Limits read() {
            return new Limits(proc("msgmax", 8192), proc("msgmnb", 16384), proc("msgmni", 32000));
        }

        private static int proc(String name, int fallback) {
            return ProcFiles.readIfPresent(Path.of("/proc/sys/kernel", name)).map(String::trim)
                    .map(v -> {
                        try {
                            return Integer.parseInt(v);
                        } catch (NumberFormatException e) {
                            return fallback;
                        }
                    }).orElse(fallback);
        }

        public String describe() {
            return "kernel limits: msgmax " + msgmax + " B per message, msgmnb " + msgmnb
                    + " B per queue, msgmni " + msgmni + " queues (/proc/sys/kernel/msgmax, msgmnb, msgmni)";
        }
    }
}

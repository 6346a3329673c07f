package org.ipclab.sysv;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The lab's protocol on one System V queue, and how a server's name becomes the queue's key.
 *
 * <p>One queue carries everything, both ways, for every client; the message type (mtype) says who a message is for.
 * That is the multiplexing POSIX queues lack (they have priorities, not addresses): a reader asks msgrcv for one
 * type and the kernel hands it the oldest message of that type, leaving the others queued.
 *
 * <pre>
 * to the server:   mtype {@value #SERVER_TYPE} | long tag | payload ...
 *     tag = the client's reply type R > 0, payload   DATA (an empty payload is END: the client has finished sending)
 *     tag = -R                                       HELLO from a new client whose replies are of type R
 *     tag = 0                                        WAKE: the server's own, to end its msgrcv (see SysvMqEchoServer)
 * to a client:     mtype R | bytes ...
 *     the replies of one client are one byte stream: first an 8-byte ACK (int server pid, int status), then the
 *     echo; an empty message ends it (or is the client's own wake-up, see SysvMqEchoClient)
 * </pre>
 *
 * <p>R is {@code pid << 24 | n} for the n-th client of process pid: unique per client, positive, never
 * {@value #SERVER_TYPE}, and the server reads the client's pid back from it to see whether the client still lives.
 * Integers are in the machine's byte order: both ends are on one host.
 */
public final class SysvMqProtocol {

    public static final long SERVER_TYPE = 1;
    public static final int TAG_BYTES = 8;
    public static final int ACK_BYTES = 8;
    public static final int STATUS_ACCEPTED = 0;
    public static final int STATUS_TOO_MANY_CLIENTS = 1;

    /**
     * The most bytes one client may have sent and not yet read back. The queue is small (msgmnb, 16 KiB by
     * default) and shared by requests and replies of every client, so the server keeps echoes that do not fit in
     * memory of its own, up to this much per client; a client that sends more without reading waits, as a socket
     * writer waits when the buffers are full.
     */
    public static final int WINDOW_BYTES = 64 * 1024;

    /** All ipc-lab keys start with this byte, so `ipcs -q | grep 0x1a` lists every queue ipc-lab made. */
    public static final int KEY_PREFIX = 0x1A000000;

    public static final String DEFAULT_NAME = "echo";
    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private SysvMqProtocol() {
    }

    /**
     * Checks a server name: 1 to 64 letters, digits, '.', '_' or '-'.
     *
     * @throws IllegalArgumentException saying what a valid name is
     */
    public static String checkName(String name) {
        if (name == null || !VALID_NAME.matcher(name).matches()) {
            String shown = name == null ? "(none)" : name.length() > 80 ? name.substring(0, 80) + "..." : name;
            throw new IllegalArgumentException("server name '" + shown + "' is not valid: use 1 to 64 letters, digits,"
                    + " '.', '_' or '-' (it becomes the queue's key)");
        }
        return name;
    }

    /**
     * The queue's key for a server name: {@code 0x1A000000 | (FNV-1a-32(UTF-8 name) & 0xFFFFFF)}. A documented hash
     * rather than ftok(3): ftok needs a file that exists for as long as the queue does (its key comes from the
     * file's inode and device), one more thing to leave behind. Two names may share a key (one in 16 million); the
     * second server then finds a live server on it and says so.
     */
    public static int key(String name) {
        int hash = 0x811C9DC5;
        for (byte b : checkName(name).getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= 0x01000193;
        }
        return KEY_PREFIX | (hash & 0x00FFFFFF);
    }

    public static String hex(int key) {
        return String.format(Locale.ROOT, "0x%08x", key);
    }

    /** The reply type of the {@code n}-th client of process {@code pid}. */
    public static long replyType(int pid, int n) {
        return ((long) pid << 24) | (n & 0xFFFFFF);
    }

    public static int pidOf(long replyType) {
        return (int) (replyType >>> 24);
    }
}

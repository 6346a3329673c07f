package org.ipclab.queue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import jnr.ffi.Pointer;

/** Helpers for the queue tests: unique names, and a lowered RLIMIT_MSGQUEUE for this JVM. */
@SuppressWarnings("try")   // try-with-resources keeps servers and queues open for a block, then closes them
final class MqTestSupport {

    private static final AtomicInteger NEXT = new AtomicInteger();

    private MqTestSupport() {
    }

    /** A queue name no other test uses: {@code /ipclab-test-<pid>-<n>}. */
    static String uniqueQueueName() {
        return "/ipclab-test-" + ProcessHandle.current().pid() + "-" + NEXT.getAndIncrement();
    }

    /** A server name no other test uses. */
    static String uniqueServerName() {
        return "test-" + ProcessHandle.current().pid() + "-" + NEXT.getAndIncrement();
    }

    /**
     * The names of every queue on this machine (IPC namespace), or null when they cannot be listed here. Lists
     * the mqueue filesystem mounted in a private mount namespace, so the machine's own mounts are untouched:
     * {@code unshare -m sh -c 'mount -t mqueue none DIR && ls DIR'} (needs root, as the tests here run).
     */
    static java.util.List<String> listQueues() throws InterruptedException {
        try {
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("ipclab-mqueue-");
            try {
                Process ls = new ProcessBuilder("unshare", "-m", "sh", "-c", "mount -t mqueue none \"$1\" && ls -1 \"$1\"",
                        "sh", dir.toString()).redirectErrorStream(true).start();
                try (org.ipclab.core.ChildProcess child = new org.ipclab.core.ChildProcess(ls, "unshare ls")) {
                    String out = new String(ls.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    if (!ls.waitFor(10, java.util.concurrent.TimeUnit.SECONDS) || ls.exitValue() != 0) {
                        return null;   // not root, no unshare, or mounts forbidden: nothing to list
                    }
                    return out.lines().filter(line -> !line.isBlank()).toList();
                }
            } finally {
                java.nio.file.Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** The queues whose names start with {@code prefix} (no leading '/'), or an empty list when none can be listed. */
    static java.util.List<String> leftoverQueues(String prefix) throws InterruptedException {
        java.util.List<String> all = listQueues();
        return all == null ? java.util.List.of() : all.stream().filter(name -> name.startsWith(prefix)).toList();
    }

    /**
     * The smallest RLIMIT_MSGQUEUE under which this JVM can create a queue of this shape, found by bisection:
     * what the user's queues hold now, plus what the new one costs.
     */
    static long smallestLimitThatFits(int maxMessages, int messageBytes) throws Exception {
        long fits = MqLimits.read().rlimitBytes();
        org.junit.jupiter.api.Assumptions.assumeTrue(fits > 0, "needs a finite RLIMIT_MSGQUEUE: it is unlimited here (ulimit -q 819200 before the tests would make it run)");
        long fails = 0;
        while (fits - fails > 1) {
            long mid = (fits + fails) / 2;
            boolean[] created = {false};
            withMessageQueueLimit(mid, () -> {
                String probe = uniqueQueueName();
                try (MqQueue queue = MqQueue.create(probe, MqNative.O_RDWR, maxMessages, messageBytes)) {
                    created[0] = true;
                    MqQueue.unlink(probe);
                } catch (MqLimitException tooMuch) {
                    // does not fit under `mid`
                }
            });
            if (created[0]) {
                fits = mid;
            } else {
                fails = mid;
            }
        }
        return fits;
    }

    /** The bytes this user's queues are charged right now, against RLIMIT_MSGQUEUE. */
    static long bytesHeldByThisUser() throws Exception {
        return smallestLimitThatFits(1, 64) - MqLimits.bytesPerQueue(1, 64);
    }

    @FunctionalInterface
    interface IoAction {
        void run() throws Exception;
    }

    /**
     * Runs {@code action} with this JVM's soft RLIMIT_MSGQUEUE set to {@code bytes}, then restores it. The
     * kernel checks the creating process's limit against everything its user already holds, so a small
     * limit makes the next mq_open(O_CREAT) fail with EMFILE whatever else is running.
     */
    static void withMessageQueueLimit(long bytes, IoAction action) throws Exception {
        MqLibC c = MqNative.lib();
        int l = MqNative.longSize();
        Pointer saved = MqNative.allocate(2 * l);
        if (c.getrlimit(MqNative.RLIMIT_MSGQUEUE, saved) != 0) {
            throw new IOException("getrlimit failed: " + org.ipclab.core.Errnos.name(MqNative.errno()));
        }
        Pointer lowered = MqNative.allocate(2 * l);
        lowered.putNativeLong(0, bytes);
        lowered.putNativeLong(l, saved.getNativeLong(l));
        if (c.setrlimit(MqNative.RLIMIT_MSGQUEUE, lowered) != 0) {
            throw new IOException("setrlimit failed: " + org.ipclab.core.Errnos.name(MqNative.errno()));
        }
        try {
            action.run();
        } finally {
            c.setrlimit(MqNative.RLIMIT_MSGQUEUE, saved);
        }
    }
}

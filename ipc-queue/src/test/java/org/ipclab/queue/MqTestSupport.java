package org.ipclab.queue;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;

import jnr.ffi.Pointer;

/** Helpers for the queue tests: unique names, and a lowered RLIMIT_MSGQUEUE for this JVM. */
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
            throw new IOException("getrlimit failed: " + MqNative.errnoName(MqNative.errno()));
        }
        Pointer lowered = MqNative.allocate(2 * l);
        lowered.putNativeLong(0, bytes);
        lowered.putNativeLong(l, saved.getNativeLong(l));
        if (c.setrlimit(MqNative.RLIMIT_MSGQUEUE, lowered) != 0) {
            throw new IOException("setrlimit failed: " + MqNative.errnoName(MqNative.errno()));
        }
        try {
            action.run();
        } finally {
            c.setrlimit(MqNative.RLIMIT_MSGQUEUE, saved);
        }
    }
}

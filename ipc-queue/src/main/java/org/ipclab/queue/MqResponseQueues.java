package org.ipclab.queue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;

/**
 * Creates a {@link PosixMqEchoClient}'s own response queue, {@code /ipclab-NAME-rsp-PID-SEQ}, within this user's
 * RLIMIT_MSGQUEUE.
 */
final class MqResponseQueues {

    private MqResponseQueues() {
    }

    /**
     * A response queue as deep as {@code depth}, or, when this user's RLIMIT_MSGQUEUE has no room for it (other
     * queues hold the rest), half as deep, and so on down to one message: the kernel charges a queue for every
     * message it may hold (its size plus the kernel's bookkeeping), so a shallower queue costs less and only means
     * the server waits for us sooner. Only when even one message does not fit does this fail, with the limit
     * explained.
     */
    static MqQueue createWithinLimit(String name, int depth, int messageBytes) throws IOException {
        for (int tryDepth = depth; ; tryDepth /= 2) {
            try {
                return create(name, tryDepth, messageBytes);
            } catch (MqLimitException full) {
                if (tryDepth <= 1) {
                    throw full;
                }
            }
        }
    }

    /** Our queue, named after our pid: one left over by an earlier process that had the same pid is removed. */
    static MqQueue create(String name, int depth, int messageBytes) throws IOException {
        try {
            // O_RDWR, not O_RDONLY: close() sends an empty message to itself to wake a reader that is waiting
            return MqQueue.create(name, MqNative.O_RDWR, depth, messageBytes);
        } catch (FileAlreadyExistsException stale) {
            MqQueue.unlink(name);
            return MqQueue.create(name, MqNative.O_RDWR, depth, messageBytes);
        }
    }

    /** Removes the queue {@code name}, keeping a failure to do so as suppressed by {@code primary}. */
    static void removeQuietly(String name, Throwable primary) {
        try {
            MqQueue.unlink(name);
        } catch (IOException e) {
            primary.addSuppressed(e);
        }
    }
}

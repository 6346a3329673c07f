package org.ipclab.queue;

import java.io.IOException;
import java.util.function.BooleanSupplier;

import jnr.ffi.Pointer;

/**
 * A client's waits on its queues, cut into slices. Nothing tells a queue user that the other side died (there
 * is no connection to break, so no EPIPE and no end of file), so between two slices a check runs: is this
 * client still open, is the server's process still there (kill(pid, 0))?
 */
final class MqSlicedWait {

    /** What runs between two slices: throws when waiting on makes no sense any more. */
    @FunctionalInterface
    interface Check {
        void check() throws IOException;
    }

    private MqSlicedWait() {
    }

    /**
     * Sends one message, waiting while the queue is full until {@code giveUpMs}, in slices of {@code sliceMs}
     * given to mq_timedsend(3) as its deadline (it only sleeps when the queue is full).
     *
     * @return false when the queue stayed full until {@code giveUpMs}
     */
    static boolean send(MqQueue queue, Pointer message, int length, int priority, MqDeadline deadline,
                        long giveUpMs, long sliceMs, Check between) throws IOException {
        while (true) {
            long now = System.currentTimeMillis();
            int errno = queue.send(message, length, priority, deadline.at(Math.min(giveUpMs, now + sliceMs)));
            if (errno == 0) {
                return true;
            }
            if (errno == MqNative.EINTR) {
                continue;
            }
            if (errno != MqNative.ETIMEDOUT) {
                throw queue.failure("send", errno, length);
            }
            between.check();
            if (now + sliceMs >= giveUpMs) {
                return false;
            }
        }
    }

    /**
     * Receives one message into {@code into} before {@code giveUpMs}. mq_timedreceive(3) sleeps with no deadline;
     * the slices end with {@code sleep}'s empty wake-up messages of {@code wakePriority}, which are not returned.
     *
     * @return its length (0 for an empty message of another priority), or -ETIMEDOUT
     */
    static int receive(MqQueue queue, Pointer into, Pointer priority, MqWakeUp sleep, int wakePriority,
                       long giveUpMs, Check between) throws IOException {
        while (true) {
            sleep.begin();
            int n;
            try {
                // no deadline: the kernel arms no timer; the watchdog's wake-up message ends the slice
                n = queue.receive(into, queue.messageBytes, priority, null);
            } finally {
                sleep.end();
            }
            if (n > 0 || n == 0 && priority.getInt(0) != wakePriority) {
                return n;   // a message from the server (an empty one ends the echo), or close()'s wake-up
            }
            if (n < 0 && -n != MqNative.EINTR) {
                throw queue.failure("receive", -n, queue.messageBytes);
            }
            // the watchdog's wake-up (or a signal): the end of a slice
            between.check();
            if (System.currentTimeMillis() >= giveUpMs) {
                return -MqNative.ETIMEDOUT;
            }
        }
    }

    /**
     * Sends one message if it can be done before {@code giveUpMs} while {@code peerAlive} holds; gives up quietly
     * otherwise.
     */
    static void offer(MqQueue queue, Pointer message, int length, int priority, MqDeadline deadline,
                      long giveUpMs, long sliceMs, BooleanSupplier peerAlive) {
        while (peerAlive.getAsBoolean()) {
            long now = System.currentTimeMillis();
            int errno = queue.send(message, length, priority, deadline.at(Math.min(giveUpMs, now + sliceMs)));
            if (errno != MqNative.EINTR && errno != MqNative.ETIMEDOUT || now + sliceMs >= giveUpMs) {
                return;
            }
        }
    }
}

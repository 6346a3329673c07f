package org.ipclab.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jnr.ffi.Pointer;

/**
 * The two properties of a message queue the protocol rests on ({@link MqFrame}): messages keep their
 * boundaries, empty ones included, and a receiver gets the highest priority first, first in first out
 * within one priority.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MqQueueOrderTest {

    @Test
    void highestPriorityFirstAndInOrderWithinAPriorityWithBoundariesKept() throws IOException {
        assumeTrue(MqNative.unavailableReason().isEmpty(), () -> "needs POSIX message queues (Linux, libc mq_open): " + MqNative.unavailableReason().orElse(""));
        String name = MqTestSupport.uniqueQueueName();
        try (MqQueue queue = MqQueue.create(name, MqNative.O_RDWR, 6, 64)) {
            MqDeadline deadline = new MqDeadline();
            Pointer message = MqNative.allocate(64);
            int[][] sent = {{1, 3}, {5, 1}, {1, 0}, {7, 2}, {5, 4}, {1, 5}};   // {priority, length}
            for (int[] m : sent) {
                message.putByte(0, (byte) m[1]);   // the first byte says which message it is (when it has one)
                assertEquals(0, queue.send(message, m[1], m[0], deadline.now()));
            }
            Pointer priority = MqNative.allocate(4);
            List<String> received = new ArrayList<>();
            for (int i = 0; i < sent.length; i++) {
                int n = queue.receive(message, 64, priority, deadline.now());
                received.add(priority.getInt(0) + ":" + n);
            }
            assertEquals(List.of("7:2", "5:1", "5:4", "1:3", "1:0", "1:5"), received);
        } finally {
            MqQueue.unlink(name);
        }
    }
}

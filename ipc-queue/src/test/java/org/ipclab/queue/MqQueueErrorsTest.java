package org.ipclab.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import jnr.ffi.Pointer;

/**
 * What the kernel answers when a queue is misused, and that each answer reaches the user as a message that
 * says what happened and what to do: EINVAL, EMFILE, EMSGSIZE, EAGAIN, ETIMEDOUT, ENOENT, EEXIST.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
@SuppressWarnings("try")   // try-with-resources keeps servers and queues open for a block, then closes them
class MqQueueErrorsTest {

    private String name;

    @BeforeAll
    static void queuesAvailable() {
        assumeTrue(MqNative.unavailableReason().isEmpty(), () -> "needs POSIX message queues (Linux, libc mq_open): " + MqNative.unavailableReason().orElse(""));
    }

    @AfterAll
    static void noQueueIsLeftBehind() throws InterruptedException {
        assertEquals(java.util.List.of(), MqTestSupport.leftoverQueues("ipclab-test-" + ProcessHandle.current().pid() + "-"));
    }

    @AfterEach
    void removeQueue() throws IOException {
        if (name != null) {
            MqQueue.unlink(name);
        }
    }

    private MqQueue create(int maxMessages, int messageBytes) throws IOException {
        name = MqTestSupport.uniqueQueueName();
        return MqQueue.create(name, MqNative.O_RDWR, maxMessages, messageBytes);
    }

    @Test
    void aNameWithoutLeadingSlashIsEinvalAndTheMessageSaysWhatANameIs() {
        IOException e = assertThrows(IOException.class,
                () -> MqQueue.create("ipclab-no-slash", MqNative.O_RDWR, 1, 64));
        assertTrue(e.getMessage().contains("EINVAL") && e.getMessage().contains("'/' followed by"), e.getMessage());
    }

    @Test
    void aMessageSizeAboveMsgsizeMaxIsEinvalAndTheMessageNamesTheLimit() throws IOException {
        MqLimits limits = MqLimits.read();
        assumeTrue(limits.msgsizeMax() > 0, "needs a readable /proc/sys/fs/mqueue/msgsize_max (mount /proc with the mqueue sysctls)");
        int tooBig = (int) limits.msgsizeMax() + 1;
        name = MqTestSupport.uniqueQueueName();
        try (MqQueue privileged = MqQueue.create(name, MqNative.O_RDWR, 1, tooBig)) {
            assumeTrue(false, "needs a process without CAP_SYS_RESOURCE (this one may exceed msgsize_max): run the tests as a normal user");
        } catch (IOException e) {
            assertTrue(e.getMessage().contains("EINVAL"), e.getMessage());
            assertTrue(e.getMessage().contains("fs.mqueue.msgsize_max " + limits.msgsizeMax()), e.getMessage());
            assertTrue(e.getMessage().contains("CAP_SYS_RESOURCE"), e.getMessage());
        }
    }

    @Test
    void creatingAnExistingQueueIsEexist() throws IOException {
        try (MqQueue first = create(1, 64)) {
            assertThrows(FileAlreadyExistsException.class, () -> MqQueue.create(name, MqNative.O_RDWR, 1, 64));
        }
    }

    @Test
    void openingAMissingQueueIsEnoent() {
        String missing = MqTestSupport.uniqueQueueName();
        assertThrows(NoSuchFileException.class, () -> MqQueue.open(missing, MqNative.O_RDONLY));
        assertFalse(MqQueue.exists(missing));
    }

    @Test
    void sendingMoreThanTheMessageSizeIsEmsgsize() throws IOException {
        try (MqQueue queue = create(2, 64)) {
            Pointer message = MqNative.allocate(65);
            int errno = queue.send(message, 65, 0, new MqDeadline().now());
            assertEquals(MqNative.EMSGSIZE, errno);
            String text = queue.failure("send", errno, 65).getMessage();
            assertTrue(text.contains("EMSGSIZE") && text.contains("at most 64 bytes") && text.contains("Split"), text);
        }
    }

    @Test
    void receivingIntoABufferSmallerThanTheMessageSizeIsEmsgsizeEvenForAShortMessage() throws IOException {
        try (MqQueue queue = create(2, 64)) {
            Pointer buffer = MqNative.allocate(64);
            MqDeadline deadline = new MqDeadline();
            assertEquals(0, queue.send(buffer, 3, 0, deadline.now()));   // a 3-byte message is waiting
            int n = queue.receive(buffer, 63, null, deadline.now());
            assertEquals(-MqNative.EMSGSIZE, n);
            String text = queue.failure("receive", -n, 63).getMessage();
            assertTrue(text.contains("smaller than the queue's message size of 64"), text);
            assertEquals(3, queue.receive(buffer, 64, null, deadline.now()), "with a big enough buffer it arrives");
        }
    }

    @Test
    void aFullNonBlockingQueueIsEagain() throws IOException {
        try (MqQueue queue = create(2, 64)) {
            name = queue.name;
            try (MqQueue nonBlocking = MqQueue.open(name, MqNative.O_WRONLY | MqNative.O_NONBLOCK)) {
                Pointer message = MqNative.allocate(8);
                MqDeadline deadline = new MqDeadline();
                long farMs = System.currentTimeMillis() + 60_000;
                assertEquals(0, nonBlocking.send(message, 8, 0, deadline.at(farMs)));
                assertEquals(0, nonBlocking.send(message, 8, 0, deadline.at(farMs)));
                long start = System.nanoTime();
                int errno = nonBlocking.send(message, 8, 0, deadline.at(farMs));
                assertEquals(MqNative.EAGAIN, errno, "O_NONBLOCK ignores the deadline: full means EAGAIN at once");
                assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
                String text = nonBlocking.failure("send", errno, 8).getMessage();
                assertTrue(text.contains("full") && text.contains("maximum of 2 messages"), text);
                assertTrue(nonBlocking.attributes().nonBlocking());
                assertEquals(2, nonBlocking.attributes().currentMessages());
            }
        }
    }

    @Test
    void aTimedReceiveOnAnEmptyQueueReturnsEtimedoutAtItsDeadline() throws IOException {
        try (MqQueue queue = create(1, 64)) {
            Pointer buffer = MqNative.allocate(64);
            long start = System.nanoTime();
            int n = queue.receive(buffer, 64, null, new MqDeadline().at(System.currentTimeMillis() + 150));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(-MqNative.ETIMEDOUT, n);
            assertTrue(waitedMs >= 100 && waitedMs < 5000, "waited " + waitedMs + " ms for a 150 ms deadline");
        }
    }

    @Test
    void aTimedSendOnAFullQueueReturnsEtimedoutAtItsDeadline() throws IOException {
        try (MqQueue queue = create(1, 64)) {
            Pointer message = MqNative.allocate(8);
            MqDeadline deadline = new MqDeadline();
            assertEquals(0, queue.send(message, 8, 0, deadline.now()));
            long start = System.nanoTime();
            int errno = queue.send(message, 8, 0, deadline.at(System.currentTimeMillis() + 150));
            long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(MqNative.ETIMEDOUT, errno);
            assertTrue(waitedMs >= 100 && waitedMs < 5000, "waited " + waitedMs + " ms for a 150 ms deadline");
        }
    }

    @Test
    void exceedingRlimitMsgqueueIsEmfileAndTheMessageSaysHowToRaiseIt() throws Exception {
        long oneQueue = MqLimits.bytesPerQueue(10, 1024);
        MqTestSupport.withMessageQueueLimit(oneQueue - 1, () -> {
            IOException e = assertThrows(IOException.class, () -> create(10, 1024));
            String text = e.getMessage();
            assertTrue(text.contains("EMFILE") && text.contains("RLIMIT_MSGQUEUE") && text.contains("ulimit -q"), text);
            assertTrue(text.contains(String.format(java.util.Locale.ROOT, "%,d bytes", oneQueue - 1)), text);
            name = null;
        });
    }

    @Test
    void theLimitsAreReadFromProcAndRlimit() {
        MqLimits limits = MqLimits.read();
        assertTrue(limits.msgMax() >= 1 && limits.msgsizeMax() >= 128, limits.toString());
        assertTrue(limits.defaultMaxMessages() <= limits.msgMax());
        assertTrue(limits.defaultMessageBytes() <= limits.msgsizeMax());
        String line = limits.describe(10, 8192);
        assertTrue(line.contains("msg_max " + limits.msgMax()) && line.contains("RLIMIT_MSGQUEUE"), line);
    }

    /**
     * The kernel's charge for a queue is what {@link MqLimits#bytesPerQueue} says. Other queues this user holds
     * count too, so we do not compare one threshold with the formula: we find, by bisection on this JVM's
     * RLIMIT_MSGQUEUE, the smallest limit that lets each of two shapes be created, and compare the difference.
     */
    @Test
    void theKernelChargesWhatBytesPerQueueSays() throws Exception {
        long small = MqTestSupport.smallestLimitThatFits(1, 64);
        long large = MqTestSupport.smallestLimitThatFits(10, 1000);
        assertEquals(MqLimits.bytesPerQueue(10, 1000) - MqLimits.bytesPerQueue(1, 64), large - small);
        assertTrue(small >= MqLimits.bytesPerQueue(1, 64), "the rest is what this user's other queues hold");
    }
}

package org.ipclab.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.testkit.EchoContractTest;
import org.junit.jupiter.api.AfterAll;

/**
 * The echo contract over POSIX message queues, with the server in a JVM of its own. The kit's 8 concurrent
 * clients fit RLIMIT_MSGQUEUE's default exactly: 9 queues of 10 x 8192 bytes (the server's and one per
 * client), so concurrentClients() is not overridden.
 */
class PosixMqEchoContractTest extends EchoContractTest {

    /** Every queue the kit's tests made (the forked servers' and the clients') is gone afterwards. */
    @AfterAll
    static void noQueueIsLeftBehind() throws InterruptedException {
        assertEquals(List.of(), MqTestSupport.leftoverQueues("ipclab-scratch-" + ProcessHandle.current().pid() + "-"));
    }

    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        PosixMqTransport mq = new PosixMqTransport();
        assumeTrue(mq.unavailableReason().isEmpty(), () -> "needs POSIX message queues (Linux, libc mq_open): " + mq.unavailableReason().orElse(""));
        return ForkedPeer.start(mq, mq.scratchEndpoint(tempDir));
    }
}

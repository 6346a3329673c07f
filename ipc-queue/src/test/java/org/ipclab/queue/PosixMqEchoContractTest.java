package org.ipclab.queue;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.testkit.EchoContractTest;

/**
 * The echo contract over POSIX message queues, with the server in a JVM of its own. The kit's 8 concurrent
 * clients fit RLIMIT_MSGQUEUE's default exactly: 9 queues of 10 x 8192 bytes (the server's and one per
 * client), so concurrentClients() is not overridden.
 */
class PosixMqEchoContractTest extends EchoContractTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        PosixMqTransport mq = new PosixMqTransport();
        assumeTrue(mq.unavailableReason().isEmpty(), () -> "posix-mq skipped: " + mq.unavailableReason().orElse(""));
        return ForkedPeer.start(mq, mq.scratchEndpoint(tempDir));
    }
}

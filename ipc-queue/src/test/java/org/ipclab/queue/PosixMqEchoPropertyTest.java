package org.ipclab.queue;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.testkit.EchoPropertyTest;

/** Random payloads in random write and read chunks over POSIX message queues, the server in a JVM of its own. */
class PosixMqEchoPropertyTest extends EchoPropertyTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        PosixMqTransport mq = new PosixMqTransport();
        if (mq.unavailableReason().isPresent()) {
            throw new org.opentest4j.TestAbortedException("posix-mq skipped: " + mq.unavailableReason().get());
        }
        return ForkedPeer.start(mq, mq.scratchEndpoint(tempDir));
    }
}

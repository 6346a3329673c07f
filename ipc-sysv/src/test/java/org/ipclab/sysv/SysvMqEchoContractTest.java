package org.ipclab.sysv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.testkit.EchoContractTest;
import org.junit.jupiter.api.AfterAll;

/** The echo contract over one System V message queue, with the server in a JVM of its own. */
class SysvMqEchoContractTest extends EchoContractTest {

    /** Every queue the forked servers made is gone afterwards: `ipcs -q` holds nothing of these tests. */
    @AfterAll
    static void noQueueIsLeftBehind() throws IOException {
        assertEquals(List.of(), SysvMqTestSupport.leftoverScratchQueues());
    }

    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        SysvMqTransport sysv = new SysvMqTransport();
        assumeTrue(sysv.unavailableReason().isEmpty(), () -> "needs System V message queues: " + sysv.unavailableReason().orElse(""));
        return ForkedPeer.start(sysv, sysv.scratchEndpoint(tempDir));
    }
}

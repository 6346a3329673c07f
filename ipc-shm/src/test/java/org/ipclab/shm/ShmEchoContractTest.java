package org.ipclab.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.testkit.EchoContractTest;
import org.junit.jupiter.api.AfterAll;

/** The echo contract through a shared-memory segment, with the server in a JVM of its own. */
class ShmEchoContractTest extends EchoContractTest {

    /** Every segment the kit's forked servers made is gone from /dev/shm afterwards. */
    @AfterAll
    static void noSegmentIsLeftBehind() throws Exception {
        assertEquals(List.of(), ShmSegment.leftovers("scratch-" + ProcessHandle.current().pid() + "-"));
    }

    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        ShmTransport shm = new ShmTransport();
        assumeTrue(shm.unavailableReason().isEmpty(), () -> "needs /dev/shm and futex(2): " + shm.unavailableReason().orElse(""));
        return ForkedPeer.start(shm, shm.scratchEndpoint(tempDir));
    }
}

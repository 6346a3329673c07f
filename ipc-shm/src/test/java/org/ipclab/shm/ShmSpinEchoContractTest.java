package org.ipclab.shm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.testkit.EchoContractTest;

/**
 * The echo contract through {@code shm-spin}: both sides busy-poll. Spinning waiters on a machine with few CPUs take
 * turns by time slice, so the kit runs two concurrent clients instead of eight.
 */
class ShmSpinEchoContractTest extends EchoContractTest {

    @Override
    protected int concurrentClients() {
        return 2;
    }

    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        ShmTransport shm = new ShmSpinTransport();
        assumeTrue(shm.unavailableReason().isEmpty(), () -> "needs /dev/shm: " + shm.unavailableReason().orElse(""));
        return ForkedPeer.start(shm, shm.scratchEndpoint(tempDir));
    }
}

package org.ipclab.shm;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoPeer;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.testkit.EchoContractTest;

/**
 * The echo contract with both sides busy-polling ({@code --wait spin}). Spinning waiters on this machine's two
 * CPUs take turns by time slice, so the kit runs with two concurrent clients instead of eight.
 */
class ShmSpinEchoContractTest extends EchoContractTest {

    @Override
    protected ClientSettings clientSettings() {
        return super.clientSettings().withOptions(Map.of(ShmTransport.OPTION_WAIT, "spin"));
    }

    @Override
    protected int concurrentClients() {
        return 2;
    }

    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        ShmTransport shm = new ShmTransport();
        assumeTrue(shm.unavailableReason().isEmpty(), () -> "needs /dev/shm and futex(2): " + shm.unavailableReason().orElse(""));
        return ForkedPeer.start(shm, shm.scratchEndpoint(tempDir),
                ForkedPeer.Options.defaults().withOptions(Map.of(ShmTransport.OPTION_WAIT, "spin")));
    }
}

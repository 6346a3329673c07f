package org.ipclab.comparison.plugin;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.testkit.EchoContractTest;

/** The test-only transport keeps the echo contract like every other: the kit, by one factory method. */
class ThreadPipeEchoContractTest extends EchoContractTest {

    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        ThreadPipeTransport transport = new ThreadPipeTransport();
        return EchoPeer.inProcess(transport, transport.scratchEndpoint(tempDir), ServerSettings.defaults());
    }
}

package org.ipclab.pipe;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.testkit.EchoContractTest;

/** The echo contract over named pipes, with the server in an OS process of its own: unrelated processes. */
class FifoEchoContractTest extends EchoContractTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        FifoTransport fifo = new FifoTransport();
        return ForkedPeer.start(fifo, fifo.scratchEndpoint(tempDir));
    }
}

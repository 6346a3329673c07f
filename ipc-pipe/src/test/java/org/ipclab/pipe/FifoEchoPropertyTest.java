package org.ipclab.pipe;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.testkit.EchoPropertyTest;

class FifoEchoPropertyTest extends EchoPropertyTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        FifoTransport fifo = new FifoTransport();
        return ForkedPeer.start(fifo, fifo.scratchEndpoint(tempDir));
    }
}

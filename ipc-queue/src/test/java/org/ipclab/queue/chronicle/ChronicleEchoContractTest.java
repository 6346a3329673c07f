package org.ipclab.queue.chronicle;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.testkit.EchoContractTest;

/** The echo contract, with the Chronicle server in a JVM of its own and the clients in this one. */
class ChronicleEchoContractTest extends EchoContractTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        ChronicleTransport chronicle = new ChronicleTransport();
        return ForkedPeer.start(chronicle, chronicle.scratchEndpoint(tempDir));
    }
}

package org.ipclab.queue.chronicle;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.testkit.EchoContractTest;

/**
 * The echo contract, with the Chronicle server in a JVM of its own (ForkedPeer) and the clients in this
 * one. The server's log (a line per client) goes to server.log in the test's temporary directory.
 */
class ChronicleEchoContractTest extends EchoContractTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        return ChronicleTestSupport.startServer(Path.of(ChronicleTestSupport.CHRONICLE.scratchEndpoint(tempDir)),
                tempDir.resolve("server.log"));
    }
}

package org.ipclab.queue.chronicle;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.testkit.EchoPropertyTest;

/** Random payloads in random chunkings, with the Chronicle server in a JVM of its own. */
class ChronicleEchoPropertyTest extends EchoPropertyTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        return ChronicleTestSupport.startServer(Path.of(ChronicleTestSupport.CHRONICLE.scratchEndpoint(tempDir)),
                tempDir.resolve("server.log"));
    }
}

package org.ipclab.pipe;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.testkit.EchoContractTest;

/** The echo contract over anonymous pipes with {@code cat} as the echo child: the pipe is the OS's, not Java's. */
class PipeCatEchoContractTest extends EchoContractTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        return EchoPeer.inProcess(new PipeTransport(), "cat", ServerSettings.defaults());
    }
}

package org.ipclab.pipe;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.testkit.EchoContractTest;

/** The echo contract over anonymous pipes, with ipc-lab's own JVM echo child at the other end. */
class PipeJavaChildEchoContractTest extends EchoContractTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        return EchoPeer.inProcess(new PipeTransport(), ChildCommand.JVM, ServerSettings.defaults());
    }
}

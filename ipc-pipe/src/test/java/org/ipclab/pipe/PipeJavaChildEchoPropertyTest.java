package org.ipclab.pipe;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.testkit.EchoPropertyTest;

class PipeJavaChildEchoPropertyTest extends EchoPropertyTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        return EchoPeer.inProcess(new PipeTransport(), ChildCommand.JVM, ServerSettings.defaults());
    }
}

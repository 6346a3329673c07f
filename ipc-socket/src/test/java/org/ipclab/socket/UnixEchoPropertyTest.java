package org.ipclab.socket;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.testkit.EchoPropertyTest;

class UnixEchoPropertyTest extends EchoPropertyTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        UnixTransport unix = new UnixTransport();
        return EchoPeer.inProcess(unix, unix.scratchEndpoint(tempDir), ServerSettings.defaults());
    }
}

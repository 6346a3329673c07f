package org.ipclab.socket;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.testkit.EchoPropertyTest;

class TcpEchoPropertyTest extends EchoPropertyTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        TcpTransport tcp = new TcpTransport();
        return EchoPeer.inProcess(tcp, tcp.scratchEndpoint(tempDir), ServerSettings.defaults());
    }
}

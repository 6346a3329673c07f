package org.ipclab.socket;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoPeer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.testkit.EchoContractTest;
import org.junit.jupiter.api.Test;

class TcpEchoContractTest extends EchoContractTest {
    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        TcpTransport tcp = new TcpTransport();
        return EchoPeer.inProcess(tcp, tcp.scratchEndpoint(tempDir), ServerSettings.defaults());
    }

    @Test
    void socketClientsHandOutDirectBuffers() throws IOException {
        try (EchoClient client = connect()) {
            // direct memory is what the channel passes to write(2)/read(2) without a copy
            assertTrue(client.allocateBuffer(4096).isDirect());
        }
    }
}

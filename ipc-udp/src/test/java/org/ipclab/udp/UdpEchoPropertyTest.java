package org.ipclab.udp;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.testkit.EchoPropertyTest;

/** Random payloads and chunkings over UDP: each write chunk one datagram, its echo read back in other pieces. */
class UdpEchoPropertyTest extends EchoPropertyTest {

    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        UdpTransport udp = new UdpTransport();
        return EchoPeer.inProcess(udp, udp.scratchEndpoint(tempDir), ServerSettings.defaults());
    }

    @Override
    protected int maxMessageBytes() {
        return UdpEndpoints.MAX_PAYLOAD_BYTES;
    }
}

package org.ipclab.udp;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.testkit.EchoContractTest;

/** The echo contract over UDP on loopback, one datagram per message, with the server in a JVM of its own. */
class UdpEchoContractTest extends EchoContractTest {

    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        UdpTransport udp = new UdpTransport();
        return ForkedPeer.start(udp, udp.scratchEndpoint(tempDir));
    }

    /** One datagram: 65,507 B over IPv4. The kit skips 64 KiB (65,536 B), 1 MiB and 10 MiB. */
    @Override
    protected int maxMessageBytes() {
        return UdpEndpoints.MAX_PAYLOAD_BYTES;
    }
}

package org.ipclab.udp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

import org.ipclab.core.HostPort;

/** The endpoint strings of {@code udp}, {@code host:port} or {@code [::1]:port}, and the size of one datagram. */
final class UdpEndpoints {

    /** The lab's port, as tcp's: a UDP port and a TCP port of the same number are different ports. */
    static final int DEFAULT_PORT = 65432;
    static final String DEFAULT_HOST = "127.0.0.1";

    /**
     * The largest payload of one IPv4 UDP datagram: 65,535 (the IP total length field) minus the 20-byte IP header
     * and the 8-byte UDP header. One byte more and sendto(2) fails with EMSGSIZE, connected or not (see udp(7)).
     */
    static final int MAX_PAYLOAD_BYTES = 65_507;

    private UdpEndpoints() {
    }

    /** "host:port" to an address; throws IllegalArgumentException for a malformed one, UnknownHostException for a name that does not resolve. */
    static InetSocketAddress parse(String endpoint) throws UnknownHostException {
        InetSocketAddress unresolved = HostPort.parse(endpoint);
        return new InetSocketAddress(InetAddress.getByName(unresolved.getHostString()), unresolved.getPort());
    }

    static String format(InetSocketAddress address) {
        return HostPort.format(address);
    }

    /** The one line for a message no datagram can carry. */
    static String tooLarge(long bytes) {
        return "a message of " + bytes + " bytes is larger than one UDP datagram can carry (at most "
                + MAX_PAYLOAD_BYTES + " bytes over IPv4: 65,535 minus the IP and UDP headers); udp sends each message"
                + " as one datagram and never splits it";
    }
}

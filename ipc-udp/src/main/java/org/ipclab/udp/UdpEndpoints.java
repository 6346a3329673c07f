package org.ipclab.udp;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

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
        String host;
        String port;
        if (endpoint.startsWith("[")) {
            int close = endpoint.indexOf(']');
            if (close < 0 || close + 1 >= endpoint.length() || endpoint.charAt(close + 1) != ':') {
                throw new IllegalArgumentException("endpoint '" + endpoint + "' is not [ipv6]:port");
            }
            host = endpoint.substring(1, close);
            port = endpoint.substring(close + 2);
        } else {
            int colon = endpoint.lastIndexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("endpoint '" + endpoint + "' is not host:port");
            }
            host = endpoint.substring(0, colon);
            port = endpoint.substring(colon + 1);
        }
        int portNumber;
        try {
            portNumber = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("port '" + port + "' is not a number");
        }
        if (portNumber < 0 || portNumber > 65535) {
            throw new IllegalArgumentException("port " + portNumber + " is out of range 0-65535");
        }
        return new InetSocketAddress(InetAddress.getByName(host), portNumber);
    }

    static String format(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /** The one line for a message no datagram can carry. */
    static String tooLarge(long bytes) {
        return "a message of " + bytes + " bytes is larger than one UDP datagram can carry (at most "
                + MAX_PAYLOAD_BYTES + " bytes over IPv4: 65,535 minus the IP and UDP headers); udp sends each message"
                + " as one datagram and never splits it";
    }
}

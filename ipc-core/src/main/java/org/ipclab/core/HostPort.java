package org.ipclab.core;

import java.net.InetSocketAddress;

/** The endpoint strings of the IP transports (tcp, udp): {@code host:port} or {@code [::1]:port}. */
public final class HostPort {

    private HostPort() {
    }

    /** "host:port" to an unresolved address; IllegalArgumentException, saying what is wrong, for a malformed one. */
    public static InetSocketAddress parse(String endpoint) {
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
        return InetSocketAddress.createUnresolved(host, portNumber);
    }

    /** "[::1]:65432" for an IPv6 host, "127.0.0.1:65432" otherwise. */
    public static String join(String host, int port) {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    /** An address as {@code host:port}, an IPv6 host in brackets. */
    public static String format(InetSocketAddress address) {
        String host = address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
        return join(host, address.getPort());
    }
}

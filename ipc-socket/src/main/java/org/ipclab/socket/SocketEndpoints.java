package org.ipclab.socket;

import java.net.InetSocketAddress;

/** Parses the endpoint strings of the socket transports: {@code host:port}, {@code [::1]:port}. */
final class SocketEndpoints {

    private SocketEndpoints() {
    }

    static InetSocketAddress parseHostPort(String endpoint) {
        return org.ipclab.core.HostPort.parse(endpoint);
    }

    static String format(InetSocketAddress address) {
        return org.ipclab.core.HostPort.format(address);
    }
}

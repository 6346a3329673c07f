package org.ipclab.socket;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Reach;

/** How {@code tcp} presents itself to the command line, the comparison and the report. */
final class TcpDescriptor {

    static final TransportDescriptor INSTANCE = new TransportDescriptor("tcp",
            "TCP stream socket (AF_INET), reachable by address and port",
            Kind.BYTE_STREAM, Reach.ANY_HOST, 10, "#0072B2", "a TCP socket's", "tcp");

    private TcpDescriptor() {
    }
}

package org.ipclab.socket;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Reach;

/** How {@code unix} presents itself to the command line, the comparison and the report. */
final class UnixDescriptor {

    static final TransportDescriptor INSTANCE = new TransportDescriptor("unix",
            "Unix domain stream socket (AF_UNIX), reachable by a file path on this host",
            Kind.BYTE_STREAM, Reach.SAME_HOST, 20, "#E69F00", "a Unix socket's", "unix");

    private UnixDescriptor() {
    }
}

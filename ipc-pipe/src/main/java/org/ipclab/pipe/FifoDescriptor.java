package org.ipclab.pipe;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Reach;

/** How {@code fifo} presents itself to the command line, the comparison and the report. */
final class FifoDescriptor {

    static final TransportDescriptor INSTANCE = new TransportDescriptor("fifo",
            "named pipes (mkfifo): a request FIFO and a response FIFO in a directory, one client at a time",
            Kind.BYTE_STREAM, Reach.SAME_HOST, 40, "#CC79A7", "a FIFO's", "fifo");

    private FifoDescriptor() {
    }
}

package org.ipclab.queue;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Reach;

/** How {@code posix-mq} presents itself to the command line, the comparison and the report. */
final class PosixMqDescriptor {

    static final TransportDescriptor INSTANCE = new TransportDescriptor("posix-mq",
            "POSIX message queues (mq_open): one request queue per server, one response queue per client",
            Kind.MESSAGE, Reach.SAME_HOST, 50, "#000000", "a POSIX message queue's", "posix-mq");

    private PosixMqDescriptor() {
    }
}

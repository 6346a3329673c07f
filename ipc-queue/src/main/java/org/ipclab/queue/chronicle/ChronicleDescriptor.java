package org.ipclab.queue.chronicle;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Reach;

/** How {@code chronicle} presents itself to the command line, the comparison and the report. */
final class ChronicleDescriptor {

    static final TransportDescriptor INSTANCE = new TransportDescriptor("chronicle",
            "Chronicle Queue: a persisted log in memory-mapped files (requests and responses queues in one directory)",
            Kind.LOG, Reach.SAME_HOST, 60, "#D55E00", "Chronicle Queue's", "");

    private ChronicleDescriptor() {
    }
}

package org.ipclab.pipe;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Reach;

/** How {@code pipe} presents itself to the command line, the comparison and the report. */
final class PipeDescriptor {

    static final TransportDescriptor INSTANCE = new TransportDescriptor("pipe",
            "anonymous pipes to a child process's stdin and stdout (pipe2 + fork/exec), parent and child only",
            Kind.BYTE_STREAM, Reach.RELATED_PROCESSES, 30, "#009E73", "a pipe's", "pipe");

    private PipeDescriptor() {
    }
}

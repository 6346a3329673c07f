package org.ipclab.core;

import java.io.IOException;

/**
 * Nobody is serving at the endpoint a client asked for: connection refused, no socket file, no process
 * with the FIFO open, no queue. The command line adds how to start a server.
 */
public class NoPeerException extends IOException {
    private static final long serialVersionUID = 1L;

    public NoPeerException(String message) {
        super(message);
    }

    public NoPeerException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.ipclab.core;

import java.util.List;

/** The transports this repository ships, for tests that check each one is registered and measured (main code takes them from the registry, {@link Transports}). */
public final class TransportIds {
    public static final String TCP = "tcp";
    public static final String UNIX = "unix";
    public static final String PIPE = "pipe";
    public static final String FIFO = "fifo";
    public static final String CHRONICLE = "chronicle";
    public static final String POSIX_MQ = "posix-mq";

    /** In the order the report presents them: sockets, pipes, queues. */
    public static final List<String> ALL = List.of(TCP, UNIX, PIPE, FIFO, CHRONICLE, POSIX_MQ);

    private TransportIds() {
    }
}

package org.ipclab.core;

import java.io.IOException;

/** A running echo peer. Closing it stops accepting, closes every connection and frees its OS objects. */
public interface EchoServer extends AutoCloseable {

    /** The resolved endpoint clients connect to (e.g. {@code 127.0.0.1:40213} after asking for port 0). */
    String endpoint();

    /** Blocks until the server has stopped (after {@link #close()} or a fatal error). */
    void awaitTermination() throws InterruptedException;

    /** Idempotent: a second call does nothing. */
    @Override
    void close() throws IOException;
}

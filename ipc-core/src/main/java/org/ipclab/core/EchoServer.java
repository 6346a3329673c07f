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

    /**
     * A stand-in that serves nothing, for a transport whose every client brings its own peer (an anonymous pipe's
     * echo child, an echo thread): it runs until closed, so a harness can treat it like any other server.
     */
    static EchoServer standIn(String endpoint) {
        java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
        return new EchoServer() {
            @Override
            public String endpoint() {
                return endpoint;
            }

            @Override
            public void awaitTermination() throws InterruptedException {
                closed.await();
            }

            @Override
            public void close() {
                closed.countDown();
            }
        };
    }
}

package org.ipclab.core;

import java.io.IOException;

/**
 * An echo peer that clients can connect to, however it runs: in this process ({@link #inProcess}) or in
 * a child JVM of its own ({@link ForkedPeer}). The contract kit and the comparison harness take an
 * {@code EchoPeer}, so they drive every transport the same way.
 */
public interface EchoPeer extends AutoCloseable {

    EchoTransport transport();

    /** The resolved endpoint clients connect to. */
    String endpoint();

    /** Connects one more client. */
    default EchoClient connect(ClientSettings settings) throws IOException {
        return transport().connect(endpoint(), settings);
    }

    default EchoClient connect() throws IOException {
        return connect(ClientSettings.defaults());
    }

    /** Idempotent. */
    @Override
    void close() throws IOException;

    /** Runs the transport's server in this JVM. */
    static EchoPeer inProcess(EchoTransport transport, String endpoint, ServerSettings settings) throws IOException {
        EchoServer server = transport.serve(endpoint, settings);
        return new EchoPeer() {
            @Override
            public EchoTransport transport() {
                return transport;
            }

            @Override
            public String endpoint() {
                return server.endpoint();
            }

            @Override
            public void close() throws IOException {
                server.close();
            }

            @Override
            public String toString() {
                return transport.id() + " peer at " + server.endpoint() + " (in process)";
            }
        };
    }
}

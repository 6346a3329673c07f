package org.ipclab.comparison.plugin;

import java.io.IOException;
import java.nio.file.Path;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.cli.TransportCli;
import org.ipclab.core.experiments.TransportExperiments;

/**
 * A transport that exists only on the test class path, to prove the plug-in shape (docs/adding-a-transport.md):
 * two {@link java.nio.channels.Pipe}s between the client's thread and an echo thread of the same JVM. It is
 * registered by one line in {@code src/test/resources/META-INF/services/org.ipclab.core.EchoTransport}; nothing
 * outside this package names it, yet it has {@code server}/{@code client} commands, runs in {@code compare}, and
 * has its row in results.json, the property matrix and the report.
 */
public final class ThreadPipeTransport implements EchoTransport {

    /** The only endpoint: the echo thread lives in the client's own JVM. */
    static final String ENDPOINT = "this-jvm";

    @Override
    public TransportDescriptor descriptor() {
        return ThreadPipeDescriptor.INSTANCE;
    }

    @Override
    public TransportCli cli() {
        return new ThreadPipeCli();
    }

    @Override
    public TransportExperiments experiments() {
        return new ThreadPipeExperiments();
    }

    @Override
    public String scratchEndpoint(Path scratchDir) {
        return ENDPOINT;
    }

    /** Like an anonymous pipe, the client makes its own peer: there is nothing to start. */
    @Override
    public boolean clientSpawnsPeer() {
        return true;
    }

    /** A stand-in server that serves nothing: every client brings its own echo thread. */
    @Override
    public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
        check(endpoint);
        return EchoServer.standIn(ENDPOINT);
    }

    @Override
    public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
        check(endpoint);
        return ThreadPipeClient.open(settings.timeout());
    }

    private static void check(String endpoint) throws IOException {
        if (!ENDPOINT.equals(endpoint)) {
            throw new IOException("thread-pipe has one endpoint, '" + ENDPOINT + "', not '" + endpoint + "'");
        }
    }
}

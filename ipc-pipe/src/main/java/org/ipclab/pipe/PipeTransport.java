package org.ipclab.pipe;

import java.io.IOException;
import java.nio.file.Path;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.cli.TransportCli;
import org.ipclab.core.experiments.TransportExperiments;
import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;

/**
 * Anonymous pipes: each client starts its own echo child and talks to it through the child's stdin and
 * stdout. The endpoint is the child's command line: {@code java} (or empty) for ipc-lab's own JVM echo child
 * ({@link EchoChildMain}), anything else a program such as {@code cat}.
 *
 * <p>There is no server: an anonymous pipe has no name, so only a parent and the child it starts can share
 * one. {@link #serve} only checks the command line.
 */
public final class PipeTransport implements EchoTransport {

    @Override
    public TransportDescriptor descriptor() {
        return PipeDescriptor.INSTANCE;
    }

    @Override
    public TransportCli cli() {
        return new PipeCli();
    }

    @Override
    public TransportExperiments experiments() {
        return new PipeExperiments();
    }


    @Override
    public String scratchEndpoint(Path scratchDir) {
        return ChildCommand.JVM;
    }

    @Override
    public boolean clientSpawnsPeer() {
        return true;
    }

    /** Checks that the child command can run, and returns a stand-in server that serves nothing. */
    @Override
    public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
        ChildCommand command = ChildCommand.parse(endpoint);
        command.checkRunnable();
        return EchoServer.standIn(command.endpoint());
    }

    @Override
    public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
        return PipeEchoClient.start(ChildCommand.parse(endpoint), settings.timeout());
    }
}

package org.ipclab.socket;

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

/** Unix domain stream sockets: a socket file on this host, e.g. {@code /tmp/ipc-lab.sock}. */
public final class UnixTransport implements EchoTransport {

    public static final String DEFAULT_PATH = "/tmp/ipc-lab-echo.sock";

    @Override
    public TransportDescriptor descriptor() {
        return UnixDescriptor.INSTANCE;
    }

    @Override
    public TransportCli cli() {
        return new UnixCli();
    }

    @Override
    public TransportExperiments experiments() {
        return new UnixExperiments();
    }


    @Override
    public String scratchEndpoint(Path scratchDir) {
        return scratchDir.resolve("echo.sock").toString();
    }

    @Override
    public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
        return SocketEchoServer.openUnix(Path.of(endpoint), settings);
    }

    @Override
    public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
        return SocketEchoClient.connectUnix(Path.of(endpoint), settings.timeout());
    }
}

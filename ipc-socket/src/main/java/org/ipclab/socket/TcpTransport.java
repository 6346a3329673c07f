package org.ipclab.socket;

import java.io.IOException;
import java.util.Optional;
import java.net.InetSocketAddress;
import java.nio.file.Path;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.cli.TransportCli;
import org.ipclab.core.experiments.TransportExperiments;
import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;

/** TCP over an IP address and port: {@code 127.0.0.1:65432}. */
public final class TcpTransport implements EchoTransport {

    /** The lab's port. */
    public static final int DEFAULT_PORT = 65432;
    public static final String DEFAULT_HOST = "127.0.0.1";

    @Override
    public TransportDescriptor descriptor() {
        return TcpDescriptor.INSTANCE;
    }

    @Override
    public TransportCli cli() {
        return new TcpCli();
    }

    @Override
    public TransportExperiments experiments() {
        return new TcpExperiments();
    }


    @Override
    public String scratchEndpoint(Path scratchDir) {
        return DEFAULT_HOST + ":0";
    }

    @Override
    public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
        InetSocketAddress requested = SocketEndpoints.parseHostPort(endpoint);
        InetSocketAddress address = new InetSocketAddress(requested.getHostString(), requested.getPort());
        if (address.isUnresolved()) {
            throw new IOException("unknown host '" + requested.getHostString() + "'");
        }
        ServerModel model = ServerModel.parse(settings.option(ServerModel.OPTION, ServerModel.DEFAULT.id()));
        Optional<String> unavailable = model.unavailableReason();
        if (unavailable.isPresent()) {
            throw new IOException("the " + model.id() + " model cannot run here: " + unavailable.get());
        }
        return model == ServerModel.NIO ? NioEchoServer.openTcp(address, settings)
                : SocketEchoServer.openTcp(address, settings, model);
    }

    @Override
    public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
        InetSocketAddress address = SocketEndpoints.parseHostPort(endpoint);
        return SocketEchoClient.connectTcp(address.getHostString(), address.getPort(), settings.timeout());
    }
}

package org.ipclab.udp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
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
 * UDP datagrams over an IP address and port: {@code 127.0.0.1:65432}. Each message is one datagram; a message
 * larger than one datagram is refused. See {@link UdpEchoServer} and {@link UdpEchoClient}.
 */
public final class UdpTransport implements EchoTransport {

    @Override
    public TransportDescriptor descriptor() {
        return UdpDescriptor.INSTANCE;
    }

    @Override
    public TransportCli cli() {
        return new UdpCli();
    }

    @Override
    public TransportExperiments experiments() {
        return new UdpExperiments();
    }

    @Override
    public String scratchEndpoint(Path scratchDir) {
        return UdpEndpoints.DEFAULT_HOST + ":0";
    }

    @Override
    public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
        return UdpEchoServer.open(address(endpoint), settings);
    }

    @Override
    public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
        return UdpEchoClient.connect(address(endpoint), settings.timeout());
    }

    private static InetSocketAddress address(String endpoint) throws IOException {
        try {
            return UdpEndpoints.parse(endpoint);
        } catch (UnknownHostException e) {
            throw new IOException("unknown host in '" + endpoint + "'", e);
        }
    }
}

package org.ipclab.socket;

import java.io.IOException;
import java.nio.file.Path;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.TransportIds;

/** Unix domain stream sockets: a socket file on this host, e.g. {@code /tmp/ipc-lab.sock}. */
public final class UnixTransport implements EchoTransport {

    public static final String DEFAULT_PATH = "/tmp/ipc-lab-echo.sock";

    @Override
    public String id() {
        return TransportIds.UNIX;
    }

    @Override
    public String summary() {
        return "Unix domain stream socket (AF_UNIX), reachable by a file path on this host";
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

package org.ipclab.comparison.cli;

import java.util.concurrent.Callable;

import org.ipclab.core.ServerSettings;
import org.ipclab.socket.SocketEchoServer;
import org.ipclab.socket.UnixTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ipc-lab server unix}: the same echo server on a Unix domain socket file. */
@Command(name = "unix", mixinStandardHelpOptions = true,
        description = "Unix domain socket echo server: a socket file on this host, mode 0600, removed on exit.")
public final class UnixServerCommand implements Callable<Integer> {

    @Option(names = "--path", paramLabel = "FILE", defaultValue = UnixTransport.DEFAULT_PATH,
            description = "Socket file to create (default: ${DEFAULT-VALUE}). A stale one from a crashed run is replaced.")
    String path;

    @Option(names = "--backlog", paramLabel = "N", defaultValue = "" + ServerSettings.DEFAULT_BACKLOG,
            description = "listen(2) backlog (default: ${DEFAULT-VALUE}).")
    int backlog;

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() {
        return ServerRunner.run(new UnixTransport(), path, options.toSettings(backlog),
                server -> "ipc-lab unix echo server listening on " + server.endpoint() + " ("
                        + ((SocketEchoServer) server).describeBacklog() + ")");
    }
}

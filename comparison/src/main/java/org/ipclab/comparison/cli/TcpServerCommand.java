package org.ipclab.comparison.cli;

import java.util.concurrent.Callable;

import org.ipclab.core.ServerSettings;
import org.ipclab.socket.SocketEchoServer;
import org.ipclab.socket.TcpTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ipc-lab server tcp}: the lab's TCP echo server. */
@Command(name = "tcp", mixinStandardHelpOptions = true,
        description = "TCP echo server (binds 127.0.0.1:65432 by default, like the lab's).")
public final class TcpServerCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "" + TcpTransport.DEFAULT_PORT,
            description = "Port to listen on; 0 lets the kernel choose (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = TcpTransport.DEFAULT_HOST,
            description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). "
                    + "Another address makes the server reachable from other hosts: a warning is printed.")
    String bind;

    @Option(names = "--backlog", paramLabel = "N", defaultValue = "" + ServerSettings.DEFAULT_BACKLOG,
            description = "listen(2) backlog: completed connections the kernel queues before accept (default: ${DEFAULT-VALUE}).")
    int backlog;

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() {
        if (port < 0 || port > 65535) {
            throw new UserError("port " + port + " is out of range; use 1-65535 (or 0 to let the kernel choose)");
        }
        String endpoint = (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + port;
        try {
            return ServerRunner.run(new TcpTransport(), endpoint, options.toSettings(backlog),
                    server -> "ipc-lab tcp echo server listening on " + server.endpoint() + " ("
                            + ((SocketEchoServer) server).describeBacklog() + ")");
        } catch (UserError e) {
            throw new UserError(explainBindFailure(e.getMessage(), bind, port));
        }
    }

    static String explainBindFailure(String message, String bind, int port) {
        if (message == null) {
            return "cannot listen on " + bind + ":" + port;
        }
        if (message.contains("Address already in use")) {
            return "port " + port + " on " + bind + " is already in use (is another server running? see: ss -ltnp 'sport = :"
                    + port + "'); stop it or choose another --port";
        }
        if (message.contains("Cannot assign requested address")) {
            return "cannot listen on " + bind + ": it is not an address of this machine; use 127.0.0.1 or an address from `ip addr`";
        }
        if (message.contains("Permission denied")) {
            return "no permission to listen on port " + port + " (ports below 1024 need root); choose a port above 1023";
        }
        if (message.startsWith("unknown host")) {
            return message + ": --bind takes an address of this machine, e.g. 127.0.0.1";
        }
        return message;
    }

}

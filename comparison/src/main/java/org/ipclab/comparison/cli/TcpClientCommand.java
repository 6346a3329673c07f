package org.ipclab.comparison.cli;

import java.util.concurrent.Callable;

import org.ipclab.socket.TcpTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ipc-lab client tcp}: the lab's client — connect, send "Hello, world", print the echo. */
@Command(name = "tcp", mixinStandardHelpOptions = true,
        description = "TCP echo client: works with ipc-lab's server and with any RFC 862 echo server.")
public final class TcpClientCommand implements Callable<Integer> {

    @Option(names = "--host", defaultValue = TcpTransport.DEFAULT_HOST, description = "Server address or name (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "" + TcpTransport.DEFAULT_PORT, description = "Server port (default: ${DEFAULT-VALUE}).")
    int port;

    @Mixin
    PayloadOptions payload;

    @Override
    public Integer call() {
        if (port < 1 || port > 65535) {
            throw new UserError("port " + port + " is out of range; use 1-65535");
        }
        String endpoint = (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        String hint = IpcLabCommand.LAUNCHER + " server tcp" + (port == TcpTransport.DEFAULT_PORT ? "" : " --port " + port);
        return ClientRunner.run(new TcpTransport(), endpoint, payload, hint);
    }
}

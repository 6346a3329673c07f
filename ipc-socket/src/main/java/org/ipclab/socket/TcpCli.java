package org.ipclab.socket;

import static org.ipclab.core.cli.CliOption.Type.INTEGER;
import static org.ipclab.core.cli.CliOption.Type.TEXT;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.ipclab.core.ServerSettings;
import org.ipclab.core.cli.BadInput;
import org.ipclab.core.cli.ClientCli;
import org.ipclab.core.cli.ClientStart;
import org.ipclab.core.cli.CliOption;
import org.ipclab.core.cli.CliValues;
import org.ipclab.core.cli.ServerCli;
import org.ipclab.core.cli.ServerStart;
import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server tcp} and {@code ipc-lab client tcp}: the lab's server and client. */
final class TcpCli implements TransportCli {

    private static final String PORT = "--port";
    private static final String BIND = "--bind";
    private static final String HOST = "--host";
    private static final String BACKLOG = "--backlog";
    private static final String MODEL = "--model";

    @Override
    public ServerCli server() {
        return new Server();
    }

    @Override
    public ClientCli client() {
        return new Client();
    }

    private static String endpoint(String host, int port) {
        return org.ipclab.core.HostPort.join(host, port);
    }

    private static final class Server implements ServerCli {
        @Override
        public List<String> description() {
            return List.of("TCP echo server (binds 127.0.0.1:65432 by default, like the lab's).");
        }

        @Override
        public List<CliOption> options() {
            return List.of(
                    CliOption.of(PORT, "<port>", INTEGER, "" + TcpTransport.DEFAULT_PORT,
                            "Port to listen on; 0 lets the kernel choose (default: ${DEFAULT-VALUE})."),
                    CliOption.of(BIND, "ADDRESS", TEXT, TcpTransport.DEFAULT_HOST,
                            "Address to listen on (default: ${DEFAULT-VALUE}, this machine only). "
                                    + "Another address makes the server reachable from other hosts: a warning is printed."),
                    CliOption.of(BACKLOG, "N", INTEGER, "" + ServerSettings.DEFAULT_BACKLOG,
                            "listen(2) backlog: completed connections the kernel queues before accept (default: ${DEFAULT-VALUE})."),
                    CliOption.of(MODEL, "MODEL", TEXT, ServerModel.DEFAULT.id(),
                            "How connections get threads: iterative (one client at a time, like the lab's), threads "
                                    + "(one per connection), pool (a fixed pool), nio (one thread, a Selector), "
                                    + "virtual (virtual threads, Java 21+), hybrid (a thread each for the first "
                                    + ServerModel.hybridThreads() + ", a Selector for the rest) (default: "
                                    + "${DEFAULT-VALUE})."));
        }

        @Override
        public ServerStart start(CliValues values) {
            int port = values.integer(PORT);
            if (port < 0 || port > 65535) {
                throw new BadInput("port " + port + " is out of range; use 1-65535 (or 0 to let the kernel choose)");
            }
            ServerModel model;
            try {
                model = ServerModel.parse(values.text(MODEL));
            } catch (IllegalArgumentException e) {
                throw new BadInput(e.getMessage());
            }
            model.unavailableReason().ifPresent(why -> {
                throw new BadInput("--model " + model.id() + ": " + why);
            });
            return new ServerStart(endpoint(values.text(BIND), port), values.integer(BACKLOG),
                    Map.of(ServerModel.OPTION, model.id()),
                    server -> "ipc-lab tcp echo server listening on " + server.endpoint() + " (" + backlogOf(server)
                            + "; model " + model.id()
                            + (model == ServerModel.POOL ? " of " + ServerModel.poolThreads() + " threads"
                            : model == ServerModel.HYBRID ? ": a thread each for the first "
                            + ServerModel.hybridThreads() + " connections, a Selector for the rest" : "") + ")");
        }

        private static String backlogOf(org.ipclab.core.EchoServer server) {
            return server instanceof NioEchoServer nio ? nio.describeBacklog() : ((SocketEchoServer) server).describeBacklog();
        }

        @Override
        public String explainFailure(String message, CliValues values) {
            String bind = values.text(BIND);
            int port = values.integer(PORT);
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

    private static final class Client implements ClientCli {
        @Override
        public List<String> description() {
            return List.of("TCP echo client: works with ipc-lab's server and with any RFC 862 echo server.");
        }

        @Override
        public List<CliOption> options() {
            return List.of(
                    CliOption.of(HOST, "<host>", TEXT, TcpTransport.DEFAULT_HOST, "Server address or name (default: ${DEFAULT-VALUE})."),
                    CliOption.of(PORT, "<port>", INTEGER, "" + TcpTransport.DEFAULT_PORT, "Server port (default: ${DEFAULT-VALUE})."));
        }

        @Override
        public ClientStart start(CliValues values, Duration timeout, PrintStream out) {
            int port = values.integer(PORT);
            if (port < 1 || port > 65535) {
                throw new BadInput("port " + port + " is out of range; use 1-65535");
            }
            String hint = LAUNCHER + " server tcp" + (port == TcpTransport.DEFAULT_PORT ? "" : " --port " + port);
            return ClientStart.at(endpoint(values.text(HOST), port), hint);
        }
    }
}

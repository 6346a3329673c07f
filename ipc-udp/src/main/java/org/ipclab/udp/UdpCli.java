package org.ipclab.udp;

import static org.ipclab.core.cli.CliOption.Type.INTEGER;
import static org.ipclab.core.cli.CliOption.Type.TEXT;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

import org.ipclab.core.cli.BadInput;
import org.ipclab.core.cli.ClientCli;
import org.ipclab.core.cli.ClientStart;
import org.ipclab.core.cli.CliOption;
import org.ipclab.core.cli.CliValues;
import org.ipclab.core.cli.ServerCli;
import org.ipclab.core.cli.ServerStart;
import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server udp} and {@code ipc-lab client udp}: the echo over one datagram socket. */
final class UdpCli implements TransportCli {

    private static final String PORT = "--port";
    private static final String BIND = "--bind";
    private static final String HOST = "--host";

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
            return List.of("UDP echo server (binds 127.0.0.1:65432 by default): one socket answers every datagram"
                            + " to the address it came from. There is no listen(2) and no accept(2), so no backlog,"
                            + " and no connection to close.",
                    "See it: ss -uanp 'sport = :65432' (Recv-Q: bytes waiting unread); the kernel's drops:"
                            + " grep Udp: /proc/net/snmp (RcvbufErrors).");
        }

        @Override
        public List<CliOption> options() {
            return List.of(
                    CliOption.of(PORT, "<port>", INTEGER, "" + UdpEndpoints.DEFAULT_PORT,
                            "UDP port to bind; 0 lets the kernel choose (default: ${DEFAULT-VALUE})."),
                    CliOption.of(BIND, "ADDRESS", TEXT, UdpEndpoints.DEFAULT_HOST,
                            "Address to bind (default: ${DEFAULT-VALUE}, this machine only)."));
        }

        /** A datagram server holds no connections: --idle-timeout and --max-connections do not apply. */
        @Override
        public boolean holdsConnections() {
            return false;
        }

        @Override
        public ServerStart start(CliValues values) {
            int port = values.integer(PORT);
            if (port < 0 || port > 65535) {
                throw new BadInput("port " + port + " is out of range; use 1-65535 (or 0 to let the kernel choose)");
            }
            return ServerStart.at(endpoint(values.text(BIND), port), server -> "ipc-lab udp echo server on "
                    + server.endpoint() + " (" + ((UdpEchoServer) server).describe() + ")");
        }

        @Override
        public String explainFailure(String message, CliValues values) {
            String bind = values.text(BIND);
            int port = values.integer(PORT);
            if (message == null) {
                return "cannot bind " + bind + ":" + port + " (udp)";
            }
            if (message.contains("Address already in use")) {
                return "UDP port " + port + " on " + bind + " is already in use (is another server running? see: ss -uanp 'sport = :"
                        + port + "'); stop it or choose another --port";
            }
            if (message.contains("Cannot assign requested address")) {
                return "cannot bind " + bind + ": it is not an address of this machine; use 127.0.0.1 or an address from `ip addr`";
            }
            if (message.contains("Permission denied")) {
                return "no permission to bind UDP port " + port + " (ports below 1024 need root); choose a port above 1023";
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
            return List.of("UDP echo client: sends each message as one datagram (at most 65,507 bytes) on a connected"
                    + " socket and waits a third of --timeout for its echo; it sends the same datagram again up to"
                    + " three tries in all, then fails with \"no echo after 3 tries\". Works with any UDP echo server.");
        }

        @Override
        public List<CliOption> options() {
            return List.of(
                    CliOption.of(HOST, "<host>", TEXT, UdpEndpoints.DEFAULT_HOST, "Server address or name (default: ${DEFAULT-VALUE})."),
                    CliOption.of(PORT, "<port>", INTEGER, "" + UdpEndpoints.DEFAULT_PORT, "Server UDP port (default: ${DEFAULT-VALUE})."));
        }

        @Override
        public ClientStart start(CliValues values, Duration timeout, PrintStream out) {
            int port = values.integer(PORT);
            if (port < 1 || port > 65535) {
                throw new BadInput("port " + port + " is out of range; use 1-65535");
            }
            String hint = LAUNCHER + " server udp" + (port == UdpEndpoints.DEFAULT_PORT ? "" : " --port " + port);
            return ClientStart.at(endpoint(values.text(HOST), port), hint);
        }
    }
}

package org.ipclab.socket;

import static org.ipclab.core.cli.CliOption.Type.INTEGER;
import static org.ipclab.core.cli.CliOption.Type.TEXT;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.ipclab.core.ServerSettings;
import org.ipclab.core.cli.ClientCli;
import org.ipclab.core.cli.ClientStart;
import org.ipclab.core.cli.CliOption;
import org.ipclab.core.cli.CliValues;
import org.ipclab.core.cli.ServerCli;
import org.ipclab.core.cli.ServerStart;
import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server unix} and {@code ipc-lab client unix}: the same echo on a socket file. */
final class UnixCli implements TransportCli {

    private static final String PATH = "--path";
    private static final String BACKLOG = "--backlog";

    @Override
    public ServerCli server() {
        return new ServerCli() {
            @Override
            public List<String> description() {
                return List.of("Unix domain socket echo server: a socket file on this host, mode 0600, removed on exit.");
            }

            @Override
            public List<CliOption> options() {
                return List.of(
                        CliOption.of(PATH, "FILE", TEXT, UnixTransport.DEFAULT_PATH,
                                "Socket file to create (default: ${DEFAULT-VALUE}). A stale one from a crashed run is replaced."),
                        CliOption.of(BACKLOG, "N", INTEGER, "" + ServerSettings.DEFAULT_BACKLOG,
                                "listen(2) backlog (default: ${DEFAULT-VALUE})."));
            }

            @Override
            public ServerStart start(CliValues values) {
                return new ServerStart(values.text(PATH), values.integer(BACKLOG), Map.of(),
                        server -> "ipc-lab unix echo server listening on " + server.endpoint() + " ("
                                + ((SocketEchoServer) server).describeBacklog() + ")");
            }
        };
    }

    @Override
    public ClientCli client() {
        return new ClientCli() {
            @Override
            public List<String> description() {
                return List.of("Unix domain socket echo client.");
            }

            @Override
            public List<CliOption> options() {
                return List.of(CliOption.of(PATH, "FILE", TEXT, UnixTransport.DEFAULT_PATH,
                        "The server's socket file (default: ${DEFAULT-VALUE})."));
            }

            @Override
            public ClientStart start(CliValues values, Duration timeout, PrintStream out) {
                String path = values.text(PATH);
                String hint = LAUNCHER + " server unix" + (path.equals(UnixTransport.DEFAULT_PATH) ? "" : " --path " + path);
                return ClientStart.at(path, hint);
            }
        };
    }
}

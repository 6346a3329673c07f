package org.ipclab.pipe;

import static org.ipclab.core.cli.CliOption.Type.TEXT;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.ipclab.core.cli.ClientCli;
import org.ipclab.core.cli.ClientStart;
import org.ipclab.core.cli.CliOption;
import org.ipclab.core.cli.CliValues;
import org.ipclab.core.cli.ServerCli;
import org.ipclab.core.cli.ServerStart;
import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server fifo} and {@code ipc-lab client fifo}: the echo over two named pipes in a directory. */
final class FifoCli implements TransportCli {

    private static final String PATH = "--path";

    @Override
    public ServerCli server() {
        return new ServerCli() {
            @Override
            public List<String> description() {
                return List.of("Named-pipe echo server: makes DIR/request.fifo and DIR/response.fifo (mkfifo, mode 0600),"
                        + " serves one client at a time, and removes them on exit.");
            }

            @Override
            public List<CliOption> options() {
                return List.of(CliOption.of(PATH, "DIR", TEXT, FifoTransport.DEFAULT_PATH,
                        "Directory for the FIFOs, made if missing (default: ${DEFAULT-VALUE}). Existing FIFOs are reused."));
            }

            @Override
            public boolean holdsConnections() {
                return false;
            }

            @Override
            public ServerStart start(CliValues values) {
                return ServerStart.at(values.text(PATH),
                        server -> "ipc-lab fifo echo server: requests on " + Path.of(server.endpoint(), "request.fifo")
                                + ", echoes on " + Path.of(server.endpoint(), "response.fifo") + " (one client at a time)");
            }
        };
    }

    @Override
    public ClientCli client() {
        return new ClientCli() {
            @Override
            public List<String> description() {
                return List.of("Named-pipe echo client: writes DIR/request.fifo, reads DIR/response.fifo; waits its turn"
                        + " if another client is connected.");
            }

            @Override
            public List<CliOption> options() {
                return List.of(CliOption.of(PATH, "DIR", TEXT, FifoTransport.DEFAULT_PATH,
                        "The server's FIFO directory (default: ${DEFAULT-VALUE})."));
            }

            @Override
            public ClientStart start(CliValues values, Duration timeout, PrintStream out) {
                String path = values.text(PATH);
                String hint = LAUNCHER + " server fifo" + (path.equals(FifoTransport.DEFAULT_PATH) ? "" : " --path " + path);
                return ClientStart.at(path, hint);
            }
        };
    }
}

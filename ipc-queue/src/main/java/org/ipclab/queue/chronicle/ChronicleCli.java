package org.ipclab.queue.chronicle;

import static org.ipclab.core.cli.CliOption.Type.PATH;
import static org.ipclab.core.cli.CliOption.Type.TEXT;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.ipclab.core.ServerSettings;
import org.ipclab.core.cli.BadInput;
import org.ipclab.core.cli.ClientCli;
import org.ipclab.core.cli.CliOption;
import org.ipclab.core.cli.CliValues;
import org.ipclab.core.cli.ServerCli;
import org.ipclab.core.cli.ServerStart;
import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server chronicle}; the client's side is {@link ChronicleClientCli}. */
final class ChronicleCli implements TransportCli {

    static final String DIR = "--dir";
    static final String PAUSER = "--pauser";

    @Override
    public ServerCli server() {
        return new ServerCli() {
            @Override
            public List<String> description() {
                return List.of("Chronicle Queue echo server: tails the requests queue in a directory and appends every echo"
                        + " to the responses queue beside it. Requests written while no server runs wait in the queue"
                        + " and are answered when it starts.");
            }

            @Override
            public List<CliOption> options() {
                return List.of(
                        CliOption.optional(DIR, "DIR", PATH,
                                "Queue directory, created if needed and kept after the server stops."
                                        + " Default: a fresh temporary directory, removed when the server stops."),
                        CliOption.of(PAUSER, "busy|sleepy", TEXT, "sleepy",
                                "How the server waits for requests: sleepy (little CPU, up to 20 ms to wake) or busy"
                                        + " (spins a full CPU, lowest latency; for benchmarks). Default: ${DEFAULT-VALUE}."));
            }

            @Override
            public boolean holdsConnections() {
                return false;
            }

            @Override
            public ServerStart start(CliValues values) {
                Path dir = values.path(DIR);
                return new ServerStart(dir == null ? "" : dir.toString(), ServerSettings.DEFAULT_BACKLOG,
                        Map.of(ChroniclePauser.OPTION, pauser(values).id()),
                        server -> describe((ChronicleEchoServer) server));
            }
        };
    }

    @Override
    public ClientCli client() {
        return new ChronicleClientCli();
    }

    /** busy or sleepy; anything else is bad input naming both. */
    static ChroniclePauser pauser(CliValues values) {
        try {
            return ChroniclePauser.parse(values.text(PAUSER));
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage() + " (--pauser)");
        }
    }

    private static String describe(ChronicleEchoServer server) {
        Path where = server.directory();
        String clients = "Clients: " + LAUNCHER + " client chronicle --dir " + where;
        if (server.isTemporary()) {
            return "The queue directory is temporary: it is removed when the server stops. " + clients;
        }
        return "The queue stays in " + where + " when the server stops (see it: ls -ls " + where + "/"
                + ChronicleDirectory.REQUESTS + "; remove it: rm -r " + where + "). " + clients;
    }
}

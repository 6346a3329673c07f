package org.ipclab.shm;

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

/** {@code ipc-lab server shm} and {@code ipc-lab client shm}: the echo through a shared-memory segment. */
final class ShmCli implements TransportCli {

    private final String id;
    private final ShmRing.Wait defaultWait;

    ShmCli(String id, ShmRing.Wait defaultWait) {
        this.id = id;
        this.defaultWait = defaultWait;
    }

    private static final String NAME = "--name";
    private static final String WAIT = "--wait";

    /** A bad --name is bad input: one line, exit code 2. */
    private static String checkedName(CliValues values) {
        try {
            return ShmSegment.checkName(values.text(NAME));
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage() + "; check --name");
        }
    }

    private static String checkedWait(CliValues values) {
        try {
            return ShmRing.Wait.parse(values.text(WAIT)).id();
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage());
        }
    }

    private CliOption waitOption(String side) {
        return CliOption.of(WAIT, "futex|spin", TEXT, defaultWait.id(),
                "How the " + side + " waits for the other side: futex sleeps in the kernel (futex(2), no CPU while"
                        + " idle), spin busy-polls the ring (lowest latency across CPUs, one CPU busy while waiting)"
                        + " (default: ${DEFAULT-VALUE}).");
    }

    @Override
    public ServerCli server() {
        return new ServerCli() {
            @Override
            public List<String> description() {
                return List.of("Shared-memory echo server: creates /dev/shm/ipclab-NAME (mode 0600), a slot table and two"
                                + " rings per client slot, and echoes what each client writes into its ring; removes the"
                                + " segment on exit, and a stale one left by a killed server on start.",
                        "See it: ls -l /dev/shm; grep ipclab /proc/<pid>/maps; strace -f -e trace=futex -p <pid>");
            }

            @Override
            public List<CliOption> options() {
                return List.of(
                        CliOption.of(NAME, "NAME", TEXT, ShmTransport.DEFAULT_NAME,
                                "Segment name; clients use the same --name (default: ${DEFAULT-VALUE}, file /dev/shm/ipclab-echo)."),
                        waitOption("server"));
            }

            @Override
            public ServerStart start(CliValues values) {
                String name = checkedName(values);
                String wait = checkedWait(values);
                return new ServerStart(name, ServerSettings.DEFAULT_BACKLOG, Map.of(ShmTransport.OPTION_WAIT, wait),
                        server -> "ipc-lab " + id + " echo server '" + server.endpoint() + "': " + ((ShmEchoServer) server).describe());
            }
        };
    }

    @Override
    public ClientCli client() {
        return new ClientCli() {
            @Override
            public List<String> description() {
                return List.of("Shared-memory echo client: maps /dev/shm/ipclab-NAME, takes a free slot and writes into its"
                        + " ring; the echo comes back in the slot's other ring.");
            }

            @Override
            public List<CliOption> options() {
                return List.of(CliOption.of(NAME, "NAME", TEXT, ShmTransport.DEFAULT_NAME,
                                "The server's name, as given to the server's --name (default: ${DEFAULT-VALUE})."),
                        waitOption("client"));
            }

            @Override
            public ClientStart start(CliValues values, Duration timeout, PrintStream out) {
                String name = checkedName(values);
                String wait = checkedWait(values);
                String hint = LAUNCHER + " server " + id + (name.equals(ShmTransport.DEFAULT_NAME) ? "" : " --name " + name);
                return new ClientStart(name, Map.of(ShmTransport.OPTION_WAIT, wait), hint, null);
            }
        };
    }
}

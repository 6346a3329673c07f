package org.ipclab.pipe;

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

/**
 * {@code ipc-lab client pipe} starts its own echo child; {@code ipc-lab server pipe} only says why there is no
 * server: an anonymous pipe has no name, so only a parent and the child it starts can share it.
 */
final class PipeCli implements TransportCli {

    private static final String CHILD = "--child";

    @Override
    public ServerCli server() {
        return new ServerCli() {
            @Override
            public List<String> description() {
                return List.of("An anonymous pipe has no server: run " + LAUNCHER + " client pipe, which starts its own echo child.");
            }

            @Override
            public List<CliOption> options() {
                return List.of();
            }

            @Override
            public boolean holdsConnections() {
                return false;
            }

            @Override
            public boolean ignoresArguments() {
                return true;
            }

            @Override
            public ServerStart start(CliValues values) {
                throw new BadInput("an anonymous pipe has no server (it has no name: only a parent and the child it starts"
                        + " can share it); run " + LAUNCHER + " client pipe --message \"Hello, world\","
                        + " which starts its own echo child, or use " + LAUNCHER + " server fifo for a named pipe");
            }
        };
    }

    @Override
    public ClientCli client() {
        return new ClientCli() {
            @Override
            public List<String> description() {
                return List.of("Anonymous-pipe echo client: starts its own echo child (an anonymous pipe joins a parent and the"
                        + " child it starts, so there is no server) and talks to it through the child's stdin and stdout.");
            }

            @Override
            public List<CliOption> options() {
                return List.of(CliOption.of(CHILD, "COMMAND", TEXT, ChildCommand.JVM,
                        "The echo child: 'java' for ipc-lab's own JVM echo child, or any command line that echoes"
                                + " stdin to stdout, such as 'cat' (default: ${DEFAULT-VALUE})."));
            }

            @Override
            public ClientStart start(CliValues values, Duration timeout, PrintStream out) {
                return ClientStart.at(values.text(CHILD),
                        LAUNCHER + " client pipe --child cat (any program that copies stdin to stdout)");
            }
        };
    }
}

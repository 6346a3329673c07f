package org.ipclab.comparison.plugin;

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

/** {@code ipc-lab client thread-pipe}; its server only says why there is none. No options of its own. */
final class ThreadPipeCli implements TransportCli {

    @Override
    public ServerCli server() {
        return new ServerCli() {
            @Override
            public List<String> description() {
                return List.of("An in-JVM pipe has no server: the client starts its own echo thread (test-only transport).");
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
            public ServerStart start(CliValues values) {
                throw new BadInput("thread-pipe has no server: its echo is a thread of the client; run "
                        + LAUNCHER + " client thread-pipe");
            }
        };
    }

    @Override
    public ClientCli client() {
        return new ClientCli() {
            @Override
            public List<String> description() {
                return List.of("In-JVM pipe echo client: two java.nio Pipes to an echo thread of its own (test-only transport).");
            }

            @Override
            public List<CliOption> options() {
                return List.of();
            }

            @Override
            public ClientStart start(CliValues values, Duration timeout, PrintStream out) {
                return ClientStart.at(ThreadPipeTransport.ENDPOINT, LAUNCHER + " client thread-pipe");
            }
        };
    }
}

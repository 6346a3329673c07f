package org.ipclab.sysv;

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

/** {@code ipc-lab server sysv-mq} and {@code ipc-lab client sysv-mq}: the echo on one System V message queue. */
final class SysvMqCli implements TransportCli {

    private static final String NAME = "--name";

    /** A bad --name is bad input: one line, exit code 2. */
    private static String checkedName(CliValues values) {
        try {
            return SysvMqProtocol.checkName(values.text(NAME));
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage() + "; check --name");
        }
    }

    @Override
    public ServerCli server() {
        return new ServerCli() {
            @Override
            public List<String> description() {
                return List.of("System V message queue echo server: one queue, whose key comes from --name"
                                + " (0x1a000000 | FNV-1a of the name, low 24 bits), mode 0600; requests are type 1,"
                                + " each client's echo comes back as its own type. Removes the queue on exit"
                                + " (msgctl IPC_RMID), and a stale one left by a killed server on start.",
                        "See it: ipcs -q (the key starts with 0x1a); ipcs -q -i MSQID; cat /proc/sysvipc/msg");
            }

            @Override
            public List<CliOption> options() {
                return List.of(CliOption.of(NAME, "NAME", TEXT, SysvMqProtocol.DEFAULT_NAME,
                        "Server name; clients use the same --name (default: ${DEFAULT-VALUE}). 1 to 64 letters,"
                                + " digits, '.', '_' or '-'."));
            }

            @Override
            public ServerStart start(CliValues values) {
                String name = checkedName(values);
                return ServerStart.at(name, server -> "ipc-lab sysv-mq echo server '" + server.endpoint() + "': "
                        + ((SysvMqEchoServer) server).describe());
            }
        };
    }

    @Override
    public ClientCli client() {
        return new ClientCli() {
            @Override
            public List<String> description() {
                return List.of("System V message queue echo client: finds the queue by the key of --name, sends requests"
                        + " of type 1 carrying its own reply type (pid << 24 | n) and reads only messages of that type.");
            }

            @Override
            public List<CliOption> options() {
                return List.of(CliOption.of(NAME, "NAME", TEXT, SysvMqProtocol.DEFAULT_NAME,
                        "The server's name, as given to the server's --name (default: ${DEFAULT-VALUE})."));
            }

            @Override
            public ClientStart start(CliValues values, Duration timeout, PrintStream out) {
                String name = checkedName(values);
                String hint = LAUNCHER + " server sysv-mq" + (name.equals(SysvMqProtocol.DEFAULT_NAME) ? "" : " --name " + name);
                return ClientStart.at(name, hint);
            }
        };
    }
}

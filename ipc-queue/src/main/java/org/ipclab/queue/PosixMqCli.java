package org.ipclab.queue;

import static org.ipclab.core.cli.CliOption.Type.INTEGER;
import static org.ipclab.core.cli.CliOption.Type.TEXT;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ipclab.core.ServerSettings;
import org.ipclab.core.cli.BadInput;
import org.ipclab.core.cli.ClientCli;
import org.ipclab.core.cli.ClientStart;
import org.ipclab.core.cli.CliOption;
import org.ipclab.core.cli.CliValues;
import org.ipclab.core.cli.ServerCli;
import org.ipclab.core.cli.ServerStart;
import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server posix-mq} and {@code ipc-lab client posix-mq}: the echo on POSIX message queues. */
final class PosixMqCli implements TransportCli {

    private static final String NAME = "--name";
    private static final String MAX_MESSAGES = "--max-messages";
    private static final String MESSAGE_SIZE = "--message-size";

    /** A bad --name is bad input: one line, exit code 2. */
    private static String checkedName(CliValues values) {
        String name = values.text(NAME);
        try {
            return PosixMqTransport.checkServerName(name);
        } catch (IllegalArgumentException e) {
            throw new BadInput(e.getMessage() + "; check --name");
        }
    }

    @Override
    public ServerCli server() {
        return new ServerCli() {
            @Override
            public List<String> description() {
                return List.of("POSIX message queue echo server: receives on the queue /ipclab-NAME-req and answers each client"
                                + " in the client's own queue; removes its queue on exit, and a stale one left by a killed server on start.",
                        "See the queues: mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue && ls -l /dev/mqueue");
            }

            @Override
            public List<CliOption> options() {
                return List.of(
                        CliOption.of(NAME, "NAME", TEXT, PosixMqTransport.DEFAULT_NAME,
                                "Server name; clients use the same --name (default: ${DEFAULT-VALUE}, queue /ipclab-echo-req)."),
                        CliOption.optional(MAX_MESSAGES, "N", INTEGER,
                                "Messages the request queue holds (mq_maxmsg; default 10, at most fs.mqueue.msg_max)."),
                        CliOption.optional(MESSAGE_SIZE, "BYTES", INTEGER,
                                "Bytes per queue message (mq_msgsize; default 8192, at most fs.mqueue.msgsize_max); "
                                        + "larger echoes are split."));
            }

            @Override
            public ServerStart start(CliValues values) {
                String name = checkedName(values);
                Map<String, String> queueOptions = new HashMap<>();
                Optional<Integer> maxMessages = values.optionalInteger(MAX_MESSAGES);
                if (maxMessages.isPresent()) {
                    if (maxMessages.get() < 1) {
                        throw new BadInput("--max-messages must be at least 1, not " + maxMessages.get());
                    }
                    queueOptions.put(PosixMqTransport.OPTION_MAX_MESSAGES, String.valueOf(maxMessages.get()));
                }
                Optional<Integer> messageSize = values.optionalInteger(MESSAGE_SIZE);
                if (messageSize.isPresent()) {
                    if (messageSize.get() < PosixMqEchoServer.MIN_MESSAGE_BYTES) {
                        throw new BadInput("--message-size must be at least " + PosixMqEchoServer.MIN_MESSAGE_BYTES
                                + " bytes (a 12-byte header and room for the server's answer), not " + messageSize.get());
                    }
                    queueOptions.put(PosixMqTransport.OPTION_MESSAGE_SIZE, String.valueOf(messageSize.get()));
                }
                return new ServerStart(name, ServerSettings.DEFAULT_BACKLOG, queueOptions,
                        server -> "ipc-lab posix-mq echo server '" + server.endpoint() + "': "
                                + ((PosixMqEchoServer) server).describe());
            }
        };
    }

    @Override
    public ClientCli client() {
        return new ClientCli() {
            @Override
            public List<String> description() {
                return List.of("POSIX message queue echo client: sends into /ipclab-NAME-req, reads the echo from a queue of its own"
                        + " (/ipclab-NAME-rsp-PID-N, removed on exit).");
            }

            @Override
            public List<CliOption> options() {
                return List.of(CliOption.of(NAME, "NAME", TEXT, PosixMqTransport.DEFAULT_NAME,
                        "The server's name, as given to the server's --name (default: ${DEFAULT-VALUE})."));
            }

            @Override
            public ClientStart start(CliValues values, Duration timeout, PrintStream out) {
                String name = checkedName(values);
                String hint = LAUNCHER + " server posix-mq" + (name.equals(PosixMqTransport.DEFAULT_NAME) ? "" : " --name " + name);
                return ClientStart.at(name, hint);
            }
        };
    }
}

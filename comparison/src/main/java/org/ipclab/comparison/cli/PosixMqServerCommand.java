package org.ipclab.comparison.cli;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.ipclab.core.ServerSettings;
import org.ipclab.queue.PosixMqEchoServer;
import org.ipclab.queue.PosixMqTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ipc-lab server posix-mq}: the echo server on POSIX message queues. */
@Command(name = "posix-mq", mixinStandardHelpOptions = true,
        description = {"POSIX message queue echo server: receives on the queue /ipclab-NAME-req and answers each client"
                + " in the client's own queue; removes its queue on exit, and a stale one left by a killed server on start.",
                "See the queues: mkdir -p /dev/mqueue && mount -t mqueue none /dev/mqueue && ls -l /dev/mqueue"})
public final class PosixMqServerCommand implements Callable<Integer> {

    @Option(names = "--name", paramLabel = "NAME", defaultValue = PosixMqTransport.DEFAULT_NAME,
            description = "Server name; clients use the same --name (default: ${DEFAULT-VALUE}, queue /ipclab-echo-req).")
    String name;

    @Option(names = "--max-messages", paramLabel = "N",
            description = "Messages the request queue holds (mq_maxmsg; default 10, at most fs.mqueue.msg_max).")
    Integer maxMessages;

    @Option(names = "--message-size", paramLabel = "BYTES",
            description = "Bytes per queue message (mq_msgsize; default 8192, at most fs.mqueue.msgsize_max); "
                    + "larger echoes are split.")
    Integer messageSize;

    @Mixin
    ServerOptions options;

    @Override
    public Integer call() {
        checkName(name);
        Map<String, String> queueOptions = new HashMap<>();
        if (maxMessages != null) {
            if (maxMessages < 1) {
                throw new UserError("--max-messages must be at least 1, not " + maxMessages);
            }
            queueOptions.put(PosixMqTransport.OPTION_MAX_MESSAGES, String.valueOf(maxMessages));
        }
        if (messageSize != null) {
            if (messageSize < PosixMqEchoServer.MIN_MESSAGE_BYTES) {
                throw new UserError("--message-size must be at least " + PosixMqEchoServer.MIN_MESSAGE_BYTES
                        + " bytes (a 12-byte header and room for the server's answer), not " + messageSize);
            }
            queueOptions.put(PosixMqTransport.OPTION_MESSAGE_SIZE, String.valueOf(messageSize));
        }
        ServerSettings settings = options.toSettings(ServerSettings.DEFAULT_BACKLOG).withOptions(queueOptions);
        return ServerRunner.run(new PosixMqTransport(), name, settings,
                server -> "ipc-lab posix-mq echo server '" + server.endpoint() + "': "
                        + ((PosixMqEchoServer) server).describe());
    }

    /** A bad --name is bad input: one line, exit code 2. Shared by the posix-mq client command. */
    static void checkName(String name) {
        try {
            PosixMqTransport.checkServerName(name);
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage() + "; check --name");
        }
    }
}

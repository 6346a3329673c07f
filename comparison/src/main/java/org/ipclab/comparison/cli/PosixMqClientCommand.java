package org.ipclab.comparison.cli;

import java.util.concurrent.Callable;

import org.ipclab.queue.PosixMqTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ipc-lab client posix-mq}: the echo client on POSIX message queues. */
@Command(name = "posix-mq", mixinStandardHelpOptions = true,
        description = "POSIX message queue echo client: sends into /ipclab-NAME-req, reads the echo from a queue of its own"
                + " (/ipclab-NAME-rsp-PID-N, removed on exit).")
public final class PosixMqClientCommand implements Callable<Integer> {

    @Option(names = "--name", paramLabel = "NAME", defaultValue = PosixMqTransport.DEFAULT_NAME,
            description = "The server's name, as given to the server's --name (default: ${DEFAULT-VALUE}).")
    String name;

    @Mixin
    PayloadOptions payload;

    @Override
    public Integer call() {
        PosixMqServerCommand.checkName(name);
        String hint = IpcLabCommand.LAUNCHER + " server posix-mq"
                + (name.equals(PosixMqTransport.DEFAULT_NAME) ? "" : " --name " + name);
        return ClientRunner.run(new PosixMqTransport(), name, payload, hint);
    }
}

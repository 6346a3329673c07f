package org.ipclab.comparison.cli;

import java.util.List;
import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code ipc-lab server pipe}: there is none; says so and how to run the client instead. */
@Command(name = "pipe", mixinStandardHelpOptions = true,
        description = "An anonymous pipe has no server: run ./ipc-lab client pipe, which starts its own echo child.")
public final class PipeServerCommand implements Callable<Integer> {

    @Unmatched
    List<String> ignored;

    @Override
    public Integer call() {
        throw new UserError("an anonymous pipe has no server (it has no name: only a parent and the child it starts"
                + " can share it); run " + IpcLabCommand.LAUNCHER + " client pipe --message \"Hello, world\","
                + " which starts its own echo child, or use " + IpcLabCommand.LAUNCHER + " server fifo for a named pipe");
    }
}

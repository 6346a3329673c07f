package org.ipclab.comparison.cli;

import java.util.concurrent.Callable;

import org.ipclab.pipe.ChildCommand;
import org.ipclab.pipe.PipeTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ipc-lab client pipe}: start an echo child and talk to it through its stdin and stdout. */
@Command(name = "pipe", mixinStandardHelpOptions = true,
        description = "Anonymous-pipe echo client: starts its own echo child (an anonymous pipe joins a parent and the"
                + " child it starts, so there is no server) and talks to it through the child's stdin and stdout.")
public final class PipeClientCommand implements Callable<Integer> {

    @Option(names = "--child", paramLabel = "COMMAND", defaultValue = ChildCommand.JVM,
            description = "The echo child: 'java' for ipc-lab's own JVM echo child, or any command line that echoes"
                    + " stdin to stdout, such as 'cat' (default: ${DEFAULT-VALUE}).")
    String child;

    @Mixin
    PayloadOptions payload;

    @Override
    public Integer call() {
        return ClientRunner.run(new PipeTransport(), child, payload,
                IpcLabCommand.LAUNCHER + " client pipe --child cat (any program that copies stdin to stdout)");
    }
}

package org.ipclab.comparison.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ipc-lab client <transport>}: send a message to an echo server and print what comes back. */
@Command(name = "client", mixinStandardHelpOptions = true,
        description = "Send bytes to an echo server, check they come back unchanged, print them and the round-trip time.")
public final class ClientCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a transport: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}

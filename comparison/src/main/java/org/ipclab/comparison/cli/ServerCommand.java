package org.ipclab.comparison.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ipc-lab server <transport>}: run an echo server until Ctrl-C. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run an echo server (stops cleanly on Ctrl-C or SIGTERM).")
public final class ServerCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a transport: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}

package org.ipclab.comparison.cli;

import java.util.concurrent.Callable;

import org.ipclab.socket.UnixTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ipc-lab client unix}: the echo client over a Unix domain socket file. */
@Command(name = "unix", mixinStandardHelpOptions = true, description = "Unix domain socket echo client.")
public final class UnixClientCommand implements Callable<Integer> {

    @Option(names = "--path", paramLabel = "FILE", defaultValue = UnixTransport.DEFAULT_PATH,
            description = "The server's socket file (default: ${DEFAULT-VALUE}).")
    String path;

    @Mixin
    PayloadOptions payload;

    @Override
    public Integer call() {
        String hint = IpcLabCommand.LAUNCHER + " server unix"
                + (path.equals(UnixTransport.DEFAULT_PATH) ? "" : " --path " + path);
        return ClientRunner.run(new UnixTransport(), path, payload, hint);
    }
}

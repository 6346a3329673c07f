package org.ipclab.comparison.cli;

import java.util.concurrent.Callable;

import org.ipclab.pipe.FifoTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ipc-lab client fifo}: the echo client over the server's two named pipes. */
@Command(name = "fifo", mixinStandardHelpOptions = true,
        description = "Named-pipe echo client: writes DIR/request.fifo, reads DIR/response.fifo; waits its turn if another client is connected.")
public final class FifoClientCommand implements Callable<Integer> {

    @Option(names = "--path", paramLabel = "DIR", defaultValue = FifoTransport.DEFAULT_PATH,
            description = "The server's FIFO directory (default: ${DEFAULT-VALUE}).")
    String path;

    @Mixin
    PayloadOptions payload;

    @Override
    public Integer call() {
        String hint = IpcLabCommand.LAUNCHER + " server fifo"
                + (path.equals(FifoTransport.DEFAULT_PATH) ? "" : " --path " + path);
        return ClientRunner.run(new FifoTransport(), path, payload, hint);
    }
}

package org.ipclab.comparison.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.ipclab.core.ServerSettings;
import org.ipclab.pipe.FifoTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ipc-lab server fifo}: the echo server on two named pipes. */
@Command(name = "fifo", mixinStandardHelpOptions = true,
        description = "Named-pipe echo server: makes DIR/request.fifo and DIR/response.fifo (mkfifo, mode 0600),"
                + " serves one client at a time, and removes them on exit.")
public final class FifoServerCommand implements Callable<Integer> {

    @Option(names = "--path", paramLabel = "DIR", defaultValue = FifoTransport.DEFAULT_PATH,
            description = "Directory for the FIFOs, made if missing (default: ${DEFAULT-VALUE}). Existing FIFOs are reused.")
    String path;

    @Override
    public Integer call() {
        ServerSettings settings = ServerSettings.defaults().withLog(ServerRunner.stdoutLog());
        return ServerRunner.run(new FifoTransport(), path, settings,
                server -> "ipc-lab fifo echo server: requests on " + Path.of(server.endpoint(), "request.fifo")
                        + ", echoes on " + Path.of(server.endpoint(), "response.fifo") + " (one client at a time)");
    }
}

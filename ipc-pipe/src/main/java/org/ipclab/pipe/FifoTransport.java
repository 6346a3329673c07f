package org.ipclab.pipe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.cli.TransportCli;
import org.ipclab.core.experiments.TransportExperiments;
import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;

/**
 * Named pipes (FIFOs): a pipe with a name in the filesystem, so that unrelated processes on one host can
 * meet. The endpoint is a directory holding a request FIFO and a response FIFO; one client at a time.
 */
public final class FifoTransport implements EchoTransport {

    public static final String DEFAULT_PATH = "/tmp/ipc-lab-fifo";

    @Override
    public TransportDescriptor descriptor() {
        return FifoDescriptor.INSTANCE;
    }

    @Override
    public TransportCli cli() {
        return new FifoCli();
    }

    @Override
    public TransportExperiments experiments() {
        return new FifoExperiments();
    }


    @Override
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(Posix.unavailableReason());
    }

    @Override
    public String scratchEndpoint(Path scratchDir) {
        return scratchDir.resolve("fifo").toString();
    }

    @Override
    public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
        return FifoEchoServer.open(Path.of(endpoint), settings);
    }

    @Override
    public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
        return FifoEchoClient.connect(Path.of(endpoint), settings.timeout());
    }
}

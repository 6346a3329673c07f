package org.ipclab.queue.chronicle;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.cli.TransportCli;
import org.ipclab.core.experiments.TransportExperiments;
import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;

/**
 * Chronicle Queue: a persisted, memory-mapped log. The endpoint is a directory holding a requests queue
 * and a responses queue; an empty endpoint makes the server create a temporary directory, removed when
 * it stops. Options (server and client): {@code pauser=busy|sleepy} (see {@link ChroniclePauser}).
 */
public final class ChronicleTransport implements EchoTransport {

    @Override
    public TransportDescriptor descriptor() {
        return ChronicleDescriptor.INSTANCE;
    }

    @Override
    public TransportCli cli() {
        return new ChronicleCli();
    }

    @Override
    public TransportExperiments experiments() {
        return new ChronicleExperiments();
    }


    @Override
    public String scratchEndpoint(Path scratchDir) {
        return scratchDir.resolve("chronicle").toString();
    }

    @Override
    public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
        return ChronicleEchoServer.open(endpoint == null || endpoint.isBlank() ? null : toPath(endpoint), settings);
    }

    @Override
    public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
        if (endpoint == null || endpoint.isBlank()) {
            throw new IOException("a chronicle client needs the queue directory the server printed (--dir)");
        }
        return ChronicleEchoClient.connect(toPath(endpoint), settings);
    }

    private static Path toPath(String endpoint) throws IOException {
        try {
            return Path.of(endpoint);
        } catch (InvalidPathException e) {
            throw new IOException("'" + endpoint + "' is not a usable directory name: " + e.getReason(), e);
        }
    }
}

package org.ipclab.queue.chronicle;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.TransportIds;

/**
 * Chronicle Queue: a persisted, memory-mapped log. The endpoint is a directory holding a requests queue
 * and a responses queue; an empty endpoint makes the server create a temporary directory, removed when
 * it stops. Options (server and client): {@code pauser=busy|sleepy} (see {@link ChroniclePauser}).
 */
public final class ChronicleTransport implements EchoTransport {

    @Override
    public String id() {
        return TransportIds.CHRONICLE;
    }

    @Override
    public String summary() {
        return "Chronicle Queue: a persisted log in memory-mapped files (requests and responses queues in one directory)";
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

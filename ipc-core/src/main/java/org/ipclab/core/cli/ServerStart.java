package org.ipclab.core.cli;

import java.util.Map;
import java.util.function.Function;

import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;

/**
 * Where and how one server starts, from its command line.
 *
 * @param endpoint what {@link org.ipclab.core.EchoTransport#serve} takes
 * @param backlog  the listen(2) backlog, for servers that listen
 * @param options  transport options passed through {@link ServerSettings#options()}
 * @param banner   the line printed once the server is up, given the running server
 */
public record ServerStart(String endpoint, int backlog, Map<String, String> options,
                          Function<EchoServer, String> banner) {

    public ServerStart {
        options = Map.copyOf(options);
    }

    /** A server with the default backlog and no transport options. */
    public static ServerStart at(String endpoint, Function<EchoServer, String> banner) {
        return new ServerStart(endpoint, ServerSettings.DEFAULT_BACKLOG, Map.of(), banner);
    }
}

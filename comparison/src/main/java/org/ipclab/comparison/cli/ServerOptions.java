package org.ipclab.comparison.cli;

import java.time.Duration;

import org.ipclab.core.ServerSettings;

import picocli.CommandLine.Option;

/** Options every socket-like server shares. */
public final class ServerOptions {

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "Close a connection that sends nothing for this long; 0 disables (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + ServerSettings.DEFAULT_MAX_CONNECTIONS,
            description = "Close connections beyond this many, with a log line (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    ServerSettings toSettings(int backlog) {
        if (maxConnections < 1) {
            throw new UserError("--max-connections must be at least 1, not " + maxConnections);
        }
        return ServerSettings.defaults()
                .withBacklog(backlog)
                .withIdleTimeout(idleTimeout)
                .withMaxConnections(maxConnections)
                .withLog(ServerRunner.stdoutLog());
    }
}

package org.ipclab.comparison.cli;

import java.time.Duration;

import org.ipclab.core.ServerSettings;

import picocli.CommandLine.Option;

/** Options every server that holds connections shares, defined once. */
public final class ServerOptions {

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "5m",
            description = "Close a connection that sends nothing for this long; 0 disables (default: ${DEFAULT-VALUE}).")
    Duration idleTimeout;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "" + ServerSettings.DEFAULT_MAX_CONNECTIONS,
            description = "Close connections beyond this many, with a log line (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    /** The defaults with these limits; the runner adds the backlog, the transport's options and the log. */
    ServerSettings toSettings() {
        if (maxConnections < 1) {
            throw new UserError("--max-connections must be at least 1, not " + maxConnections);
        }
        return ServerSettings.defaults()
                .withIdleTimeout(idleTimeout)
                .withMaxConnections(maxConnections);
    }
}

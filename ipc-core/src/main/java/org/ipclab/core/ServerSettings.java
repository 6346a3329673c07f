package org.ipclab.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How an echo peer runs. Fields a transport does not use are ignored by it; transport-specific settings
 * (a Chronicle pauser, a child command line) travel in {@link #options()}.
 *
 * @param backlog        the listen(2) backlog for socket servers; below 1 means "the library default"
 * @param idleTimeout    a connection that sends nothing for this long is closed; zero disables it
 * @param maxConnections connections beyond this are closed at once, with a log line
 * @param log            where the server reports what it does ("Connected by /127.0.0.1:5449")
 * @param options        transport-specific settings, by name
 */
public record ServerSettings(int backlog, Duration idleTimeout, int maxConnections, Consumer<String> log,
                             Map<String, String> options) {

    public static final int DEFAULT_BACKLOG = 128;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_CONNECTIONS = 4096;

    public ServerSettings {
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(log, "log");
        options = Map.copyOf(options);
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative: " + idleTimeout);
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
    }

    /** Defaults with no logging: what tests and the harness use. */
    public static ServerSettings defaults() {
        return new ServerSettings(DEFAULT_BACKLOG, DEFAULT_IDLE_TIMEOUT, DEFAULT_MAX_CONNECTIONS, line -> { }, Map.of());
    }

    public ServerSettings withBacklog(int newBacklog) {
        return new ServerSettings(newBacklog, idleTimeout, maxConnections, log, options);
    }

    public ServerSettings withIdleTimeout(Duration newIdleTimeout) {
        return new ServerSettings(backlog, newIdleTimeout, maxConnections, log, options);
    }

    public ServerSettings withMaxConnections(int newMaxConnections) {
        return new ServerSettings(backlog, idleTimeout, newMaxConnections, log, options);
    }

    public ServerSettings withLog(Consumer<String> newLog) {
        return new ServerSettings(backlog, idleTimeout, maxConnections, newLog, options);
    }

    public ServerSettings withOptions(Map<String, String> newOptions) {
        return new ServerSettings(backlog, idleTimeout, maxConnections, log, newOptions);
    }

    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }
}

package org.ipclab.core;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * How a client connects.
 *
 * @param timeout bound on every blocking call: connect, open, each wait for echoed bytes
 * @param options transport-specific settings, by name (e.g. the pipe's child command line)
 */
public record ClientSettings(Duration timeout, Map<String, String> options) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    public ClientSettings {
        Objects.requireNonNull(timeout, "timeout");
        options = Map.copyOf(options);
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
    }

    public static ClientSettings defaults() {
        return new ClientSettings(DEFAULT_TIMEOUT, Map.of());
    }

    public ClientSettings withTimeout(Duration newTimeout) {
        return new ClientSettings(newTimeout, options);
    }

    public ClientSettings withOptions(Map<String, String> newOptions) {
        return new ClientSettings(timeout, newOptions);
    }

    public String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }
}

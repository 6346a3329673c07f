package org.ipclab.core;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Something a transport needs for a whole run before any echo server can start: a message broker, say. The harness
 * opens it once ({@link EchoTransport#openEnvironment}) before the transport's first measurement and closes it after
 * the last; a transport that needs nothing (every one that talks to the kernel directly) has none.
 *
 * <p>The environment tells the transport's servers, clients and experiments where it is through system properties,
 * which the harness sets in its own JVM and passes to every JVM it forks (JMH forks, echo servers, experiment
 * children): a broker's address, for instance.
 */
public interface RunEnvironment extends AutoCloseable {

    /** What was started, for the progress line and the set-up table: "Kafka broker (one node, KRaft)". */
    String label();

    /** How long opening it took, from launch until it answered; {@link Duration#ZERO} when nothing was started. */
    Duration startTime();

    /** The system properties through which the transport finds this environment; empty for none. */
    Map<String, String> systemProperties();

    /** Stops what was started and removes its files; idempotent. */
    @Override
    void close() throws IOException;
}

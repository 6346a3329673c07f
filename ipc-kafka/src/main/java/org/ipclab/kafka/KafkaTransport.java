package org.ipclab.kafka;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.RunEnvironment;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.cli.TransportCli;
import org.ipclab.core.experiments.TransportExperiments;

/**
 * Apache Kafka as a transport: the client appends its bytes to a request topic on a broker, the echo server reads
 * them and appends them to the client's reply topic. Both are only clients of the broker, which is a process (or a
 * cluster of them) of its own, reached over TCP. Endpoint: {@code host:port[,host:port...][/request-topic]}.
 * See {@link KafkaEchoClient} for the delivery guarantee and {@link KafkaNodes} for the broker.
 */
public final class KafkaTransport implements EchoTransport {

    /** Where the run's broker is: set by {@link #openEnvironment} (or by {@code compare --bootstrap}). */
    public static final String BOOTSTRAP_PROPERTY = "ipclab.kafka.bootstrap";
    static final Duration SERVER_CONNECT_TIMEOUT = Duration.ofSeconds(20);

    static {
        // kafka-clients logs every configuration at INFO and every failed connection attempt at WARN; the lab's own
        // messages say what went wrong, in the user's words. -Dorg.slf4j.simpleLogger.log.org.apache.kafka=info shows them.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.apache.kafka") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "error");
        }
    }

    @Override
    public TransportDescriptor descriptor() {
        return KafkaDescriptor.INSTANCE;
    }

    @Override
    public TransportCli cli() {
        return new KafkaCli();
    }

    @Override
    public TransportExperiments experiments() {
        return new KafkaExperiments();
    }

    @Override
    public Optional<String> unavailableReason() {
        if (System.getProperty(BOOTSTRAP_PROPERTY) != null) {
            return Optional.empty();
        }
        return KafkaClassPath.find().isPresent() ? Optional.empty() : Optional.of(KafkaClassPath.missingReason());
    }

    /**
     * The run's broker: the cluster {@value #BOOTSTRAP_PROPERTY} names when it is set (nothing is started), else one
     * node started now in a JVM of its own and stopped, with its data, when the run closes it.
     */
    @Override
    public Optional<RunEnvironment> openEnvironment(Path scratchDir) throws IOException {
        String existing = System.getProperty(BOOTSTRAP_PROPERTY);
        if (existing != null) {
            KafkaEndpoint.parse(existing);
            return Optional.of(environment("existing Kafka cluster at " + existing, Duration.ZERO, existing, () -> { }));
        }
        KafkaNodes nodes = KafkaNodes.start(KafkaNodes.Options.oneNode());
        return Optional.of(environment("Kafka broker start (one node, KRaft)", nodes.startTime(), nodes.bootstrap(), nodes::close));
    }

    private interface Stop {
        void run() throws IOException;
    }

    private static RunEnvironment environment(String label, Duration started, String bootstrap, Stop stop) {
        return new RunEnvironment() {
            private boolean closed;

            @Override
            public String label() {
                return label;
            }

            @Override
            public Duration startTime() {
                return started;
            }

            @Override
            public Map<String, String> systemProperties() {
                return Map.of(BOOTSTRAP_PROPERTY, bootstrap);
            }

            @Override
            public synchronized void close() throws IOException {
                if (!closed) {
                    closed = true;
                    stop.run();
                }
            }
        };
    }

    /** The run's broker and a request topic of this test's or run's own, so that no two share requests. */
    @Override
    public String scratchEndpoint(Path scratchDir) throws IOException {
        String bootstrap = System.getProperty(BOOTSTRAP_PROPERTY);
        if (bootstrap == null) {
            throw new IOException("kafka needs a broker: start one with `./ipc-lab broker kafka` and pass --bootstrap,"
                    + " or set -D" + BOOTSTRAP_PROPERTY + "=HOST:PORT");
        }
        return bootstrap + "/" + KafkaEndpoint.DEFAULT_TOPIC + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
        return KafkaEchoServer.open(parse(endpoint), settings, SERVER_CONNECT_TIMEOUT);
    }

    @Override
    public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
        return KafkaEchoClient.connect(parse(endpoint), settings.timeout());
    }

    static KafkaEndpoint parse(String endpoint) throws IOException {
        try {
            return KafkaEndpoint.parse(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IOException("kafka endpoint '" + endpoint + "': " + e.getMessage());
        }
    }
}

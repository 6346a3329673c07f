package org.ipclab.kafka;

import java.io.File;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where the broker's classes are, for the broker JVMs ({@link KafkaNodes}). The ipc-lab jar carries only the client
 * library (kafka-clients); the broker (kafka_2.13, Scala and their jars) is copied by the build into
 * {@code comparison/target/kafka-lib/}, beside the jar, and a broker JVM runs with {@code kafka-lib/*} and the ipc-lab
 * jar (for kafka-clients and {@link BrokerNodeMain}). Keeping the broker out of the shaded jar keeps its service files
 * and logging configuration unmerged, and keeps 40 MB of broker out of every client JVM.
 */
public final class KafkaClassPath {

    /** Overrides the search: a class path with kafka_2.13, kafka-clients and ipc-kafka's classes on it. */
    public static final String PROPERTY = "ipclab.kafka.classpath";
    static final String LIB_DIR = "kafka-lib";

    private KafkaClassPath() {
    }

    /** The broker JVM's class path, or why there is none. */
    public static Optional<String> find() {
        String configured = System.getProperty(PROPERTY, System.getenv("IPC_LAB_KAFKA_CLASSPATH"));
        if (configured != null && !configured.isBlank()) {
            return Optional.of(configured);
        }
        Optional<Path> jar = ownJar();
        if (jar.isPresent()) {
            Path lib = jar.get().resolveSibling(LIB_DIR);
            if (Files.isDirectory(lib)) {
                List<String> entries = new ArrayList<>();
                try (Stream<Path> jars = Files.list(lib)) {
                    jars.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(p -> entries.add(p.toString()));
                } catch (java.io.IOException e) {
                    return Optional.empty();
                }
                entries.add(jar.get().toString());
                return Optional.of(String.join(File.pathSeparator, entries));
            }
        }
        // the tests and the IDE: the broker is on this JVM's class path (provided scope); the broker still runs apart
        try {
            Class.forName("kafka.server.KafkaRaftServer", false, KafkaClassPath.class.getClassLoader());
            return Optional.of(System.getProperty("java.class.path"));
        } catch (ClassNotFoundException | LinkageError e) {
            return Optional.empty();
        }
    }

    /** Why {@link #find} found nothing, in the user's words. */
    public static String missingReason() {
        return "the Kafka broker's jars were not found (expected " + LIB_DIR + "/ beside the ipc-lab jar, made by"
                + " `mvn package`; or set -D" + PROPERTY + ")";
    }

    private static Optional<Path> ownJar() {
        try {
            var source = KafkaClassPath.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return Optional.empty();
            }
            Path path = Path.of(source.getLocation().toURI());
            return path.toString().endsWith(".jar") ? Optional.of(path) : Optional.empty();
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

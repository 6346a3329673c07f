package org.ipclab.comparison.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.RunEnvironment;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.Transports;
import org.ipclab.core.cli.TransportCli;
import org.ipclab.core.experiments.TransportExperiments;
import org.ipclab.report.model.Results.TransportStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A transport whose run environment cannot open is skipped with the reason; one that opens is closed after the run. */
class RunEnvironmentsTest {

    private static final String PROPERTY = "ipclab.test.environment";

    @TempDir
    Path scratch;

    /** tcp in every respect but its run environment. */
    private static EchoTransport withEnvironment(RunEnvironment environment, IOException failure) {
        EchoTransport tcp = Transports.byId("tcp");
        return new EchoTransport() {
            @Override
            public Optional<RunEnvironment> openEnvironment(Path scratchDir) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                return Optional.of(environment);
            }

            @Override
            public String scratchEndpoint(Path scratchDir) throws IOException {
                return tcp.scratchEndpoint(scratchDir);
            }

            @Override
            public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
                return tcp.serve(endpoint, settings);
            }

            @Override
            public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
                return tcp.connect(endpoint, settings);
            }

            @Override
            public TransportDescriptor descriptor() {
                return tcp.descriptor();
            }

            @Override
            public TransportCli cli() {
                return tcp.cli();
            }

            @Override
            public TransportExperiments experiments() {
                return tcp.experiments();
            }
        };
    }

    @Test
    void aBrokerThatCannotStartSkipsOnlyItsTransportWithTheReason() {
        EchoTransport broken = withEnvironment(null, new IOException("port 9092 on 127.0.0.1 is already in use"));
        List<EchoTransport> runnable = new ArrayList<>(List.of(broken));
        List<TransportStatus> statuses = new ArrayList<>(List.of(new TransportStatus("tcp", "", "measured", "")));
        List<String> notes = new ArrayList<>();
        try (RunEnvironments environments = RunEnvironments.open(runnable, statuses, scratch, notes::add)) {
            assertTrue(runnable.isEmpty());
            assertEquals(new TransportStatus("tcp", broken.summary(), "skipped", "port 9092 on 127.0.0.1 is already in use"),
                    statuses.get(0));
            assertTrue(environments.setupRows().isEmpty());
        }
    }

    @Test
    void anEnvironmentIsASetupRowAndItsPropertiesLastUntilItIsClosed() {
        boolean[] closed = {false};
        RunEnvironment broker = new RunEnvironment() {
            @Override
            public String label() {
                return "broker start";
            }

            @Override
            public Duration startTime() {
                return Duration.ofMillis(4200);
            }

            @Override
            public Map<String, String> systemProperties() {
                return Map.of(PROPERTY, "127.0.0.1:9092");
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        List<EchoTransport> runnable = new ArrayList<>(List.of(withEnvironment(broker, null)));
        List<TransportStatus> statuses = new ArrayList<>();
        try (RunEnvironments environments = RunEnvironments.open(runnable, statuses, scratch, line -> { })) {
            assertEquals(1, runnable.size());
            assertEquals("127.0.0.1:9092", System.getProperty(PROPERTY));
            assertEquals(List.of("-D" + PROPERTY + "=127.0.0.1:9092"), environments.jvmFlags());
            assertEquals("broker start", environments.setupRows().get(0).what());
            assertEquals(4200.0, environments.setupRows().get(0).p50().value(), 0.001);
        }
        assertTrue(closed[0]);
        assertNull(System.getProperty(PROPERTY), "the property is gone with the environment");
    }
}

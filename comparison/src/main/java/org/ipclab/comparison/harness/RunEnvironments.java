package org.ipclab.comparison.harness;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import org.ipclab.core.Closer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.RunEnvironment;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.TransportStatus;

/**
 * The run-scoped environments of the transports that need one (a broker): opened before the first measurement,
 * closed after the last. A transport whose environment cannot be opened is skipped with the reason, and the run goes
 * on. How long opening took is a set-up row of its own ("Kafka broker start").
 */
final class RunEnvironments implements AutoCloseable {

    private final List<RunEnvironment> open = new ArrayList<>();
    private final List<SetupResult> setupRows = new ArrayList<>();
    private final Map<String, String> previous = new HashMap<>();
    private final Map<String, String> properties = new HashMap<>();

    private RunEnvironments() {
    }

    /** Opens each runnable transport's environment; removes from {@code runnable} (and marks skipped) those that fail. */
    static RunEnvironments open(List<EchoTransport> runnable, List<TransportStatus> statuses, Path scratch,
                                Consumer<String> note) {
        RunEnvironments environments = new RunEnvironments();
        for (EchoTransport transport : new ArrayList<>(runnable)) {
            Optional<RunEnvironment> environment;
            try {
                environment = transport.openEnvironment(scratch);
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage().lines().findFirst().orElse("");
                note.accept(transport.id() + ": skipped: " + why);
                runnable.remove(transport);
                for (int i = 0; i < statuses.size(); i++) {
                    if (statuses.get(i).id().equals(transport.id())) {
                        statuses.set(i, new TransportStatus(transport.id(), transport.summary(), "skipped", why));
                    }
                }
                continue;
            }
            environment.ifPresent(env -> environments.add(transport, env, note));
        }
        return environments;
    }

    private void add(EchoTransport transport, RunEnvironment environment, Consumer<String> note) {
        open.add(environment);
        environment.systemProperties().forEach((key, value) -> {
            previous.putIfAbsent(key, System.getProperty(key));
            System.setProperty(key, value);
            properties.put(key, value);
        });
        if (!environment.startTime().isZero()) {
            Quantity ms = ResultRows.ms(environment.startTime().toNanos());
            setupRows.add(new SetupResult(transport.id(), environment.label(), ms, ms, 1, "environment"));
        }
        note.accept(transport.id() + ": " + environment.label()
                + (environment.startTime().isZero() ? "" : " took " + environment.startTime().toMillis() + " ms"));
    }

    /** The set-up rows of what was started (one sample each). */
    List<SetupResult> setupRows() {
        return List.copyOf(setupRows);
    }

    /** The environments' system properties as JVM flags, for the JMH forks. */
    List<String> jvmFlags() {
        return properties.entrySet().stream().map(e -> "-D" + e.getKey() + "=" + e.getValue()).toList();
    }

    @Override
    public void close() {
        Closer.closeQuietly(null, open.toArray(new AutoCloseable[0]));
        open.clear();
        previous.forEach((key, value) -> {
            if (value == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, value);
            }
        });
        previous.clear();
    }
}

package org.ipclab.comparison.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.ipclab.comparison.backlog.BacklogExperiment;
import org.ipclab.comparison.nativefloor.NativeFloor;
import org.ipclab.comparison.properties.PropertyExperiments;
import org.ipclab.report.backlog.Arrival;
import org.ipclab.report.backlog.BacklogJson;
import org.ipclab.report.backlog.BacklogSettings;
import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.Placement;

/**
 * The parts of a comparison run beyond the JMH measurements: the property experiments (question 1), the
 * listen() backlog sweep (question 2) and the native floor. Each is planned as a step with its expected time.
 */
final class Extensions {

    record Extension(String label, double seconds, Body body) {
    }

    @FunctionalInterface
    interface Body {
        void run() throws Exception;
    }

    private Extensions() {
    }

    static List<Extension> plan(CompareSettings settings, List<String> transports, List<Placement> placements,
                                Path scratch, List<String> notes, List<Results.PropertyResult> properties,
                                JsonNode[] backlog, List<Results.NativeResult> nativeFloor) {
        List<Extension> steps = new ArrayList<>();
        if (settings.properties()) {
            // a short root of its own: a Unix socket path must fit in 107 bytes, and the experiments nest directories
            steps.add(new Extension("property experiments: " + String.join(", ", transports), 2.0 + transports.size(), () -> {
                Path root = java.nio.file.Files.createTempDirectory("p");
                try {
                    properties.addAll(PropertyExperiments.run(transports, root, line -> { }));
                } finally {
                    BenchSession.deleteTree(root);
                }
            }));
        }
        if (settings.backlog()) {
            BacklogSettings backlogSettings = backlogSettings(settings);
            steps.add(new Extension("listen() backlog sweep " + backlogSettings.backlogs(), backlogSeconds(backlogSettings),
                    () -> backlog[0] = BacklogJson.tree(BacklogExperiment.runSweep(backlogSettings))));
        }
        if (settings.nativeFloor()) {
            java.time.Duration perMeasurement = settings.measurementTime();
            List<Integer> sizes = settings.mode().equals("quick") ? List.of(settings.sizes().get(0)) : settings.sizes();
            int streamBytes = settings.mode().equals("quick") ? 0 : settings.streamBytes();
            double seconds = NativeFloor.estimateSeconds(transports, sizes, placements, perMeasurement);
            if (seconds <= 0) {
                NativeFloor.unavailableReason().ifPresent(reason -> notes.add("The native (C) floor was not measured: " + reason + "."));
            } else {
                steps.add(new Extension("native (C) floor: " + String.join(", ", transports), seconds, () -> {
                    NativeFloor.Outcome outcome = NativeFloor.run(transports, sizes, placements, perMeasurement, streamBytes);
                    nativeFloor.addAll(outcome.rows());
                    notes.addAll(outcome.notes());
                }));
            }
        }
        return steps;
    }

    /**
     * The backlog sweep as {@code ./ipc-lab backlog} runs it, shortened for --quick: three backlogs, clients
     * arriving all at once, no namespace variants.
     */
    static BacklogSettings backlogSettings(CompareSettings settings) {
        BacklogSettings defaults = BacklogSettings.defaults();
        if (settings.mode().equals("quick")) {
            return defaults.withBacklogs(List.of(0, 2, 8)).withArrivals(List.of(Arrival.ALL_AT_ONCE))
                    .withNamespaceVariants(false, List.of());
        }
        return defaults;
    }

    private static double backlogSeconds(BacklogSettings settings) {
        double perTrial = settings.acceptAfterMs() == null ? 3.5 : settings.acceptAfterMs() / 1000.0 + 1.5;
        double trials = settings.backlogs().size() * settings.arrivals().size();
        return trials * perTrial + (settings.namespaceVariants() ? 10 : 0);
    }
}

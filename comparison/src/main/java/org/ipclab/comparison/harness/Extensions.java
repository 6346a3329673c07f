package org.ipclab.comparison.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.ipclab.comparison.nativefloor.NativeFloor;
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
            notes.add("The property experiments are not part of this build yet; the property matrix is empty.");
        }
        if (settings.backlog()) {
            notes.add("The listen() backlog experiment is not part of this build yet.");
        }
        if (settings.nativeFloor()) {
            java.time.Duration perMeasurement = settings.measurementTime();
            double seconds = NativeFloor.estimateSeconds(transports, settings.sizes(), placements, perMeasurement);
            if (seconds <= 0) {
                NativeFloor.unavailableReason().ifPresent(reason -> notes.add("The native (C) floor was not measured: " + reason + "."));
            } else {
                steps.add(new Extension("native (C) floor: " + String.join(", ", transports), seconds, () -> {
                    NativeFloor.Outcome outcome = NativeFloor.run(transports, settings.sizes(), placements,
                            perMeasurement, settings.streamBytes());
                    nativeFloor.addAll(outcome.rows());
                    notes.addAll(outcome.notes());
                }));
            }
        }
        return steps;
    }
}

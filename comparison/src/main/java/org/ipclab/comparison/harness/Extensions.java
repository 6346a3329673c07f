package org.ipclab.comparison.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import org.ipclab.core.FileTrees;
import org.ipclab.comparison.backlog.BacklogExperiment;
import org.ipclab.comparison.nativefloor.NativeFloor;
import org.ipclab.comparison.properties.PropertyExperiments;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.Transports;
import org.ipclab.report.backlog.Arrival;
import org.ipclab.report.backlog.BacklogJson;
import org.ipclab.report.backlog.BacklogSettings;
import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.Placement;

/**
 * The parts of a comparison run beyond the JMH measurements: the property experiments (question 1), the
 * listen() backlog sweep (question 2) and the native floor. Each is planned as a step with its expected time.
 * The native floor is planned beside the Java runs ({@link NativeFloorSteps}): a transport's C round trips
 * right after its Java round trips, each C streaming run right after the Java one of the same placement.
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
                                JsonNode[] backlog) {
        List<Extension> steps = new ArrayList<>();
        if (settings.properties()) {
            // a short root of its own: a Unix socket path must fit in 107 bytes, and the experiments nest directories
            steps.add(new Extension("property experiments: " + String.join(", ", transports), 2.0 + transports.size(), () -> {
                Path root = FileTrees.temporary("p");
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
        return steps;
    }

    /**
     * The C program's measurements, as steps placed right after the same Java measurements: on this shared
     * VM the cost of waking an idle CPU drifts over minutes, and a ratio is only as good as the closeness in
     * time of its two sides. The program is compiled once, by the first step.
     */
    static final class NativeFloorSteps implements AutoCloseable {
        private final List<Integer> sizes;
        private final List<Placement> placements;
        private final java.time.Duration perMeasurement;
        private final int streamBytes;
        private final List<String> notes;
        private final List<Results.NativeResult> rows;
        private final java.nio.file.Path compiler;
        private NativeFloor floor;
        private boolean failed;

        private NativeFloorSteps(CompareSettings settings, java.nio.file.Path compiler, List<Placement> placements,
                                 List<String> notes, List<Results.NativeResult> rows) {
            this.compiler = compiler;
            this.sizes = settings.mode().equals("quick") ? List.of(settings.sizes().get(0)) : settings.sizes();
            this.placements = placements;
            this.perMeasurement = settings.measurementTime();
            this.streamBytes = settings.mode().equals("quick") ? 0 : settings.streamBytes();
            this.notes = notes;
            this.rows = rows;
        }

        /** Empty when the floor is switched off or cannot run here (the reason goes to the notes). */
        static java.util.Optional<NativeFloorSteps> plan(CompareSettings settings, List<Placement> placements,
                                                         List<String> notes, List<Results.NativeResult> rows) {
            if (!settings.nativeFloor()) {
                return java.util.Optional.empty();
            }
            java.util.Optional<java.nio.file.Path> compiler = NativeFloor.findCompiler();
            if (compiler.isEmpty()) {
                notes.add("The native (C) floor was not measured: " + NativeFloor.unavailableReason().orElse("") + ".");
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(new NativeFloorSteps(settings, compiler.get(), placements, notes, rows));
        }

        /**
         * The C round trips for one transport (every size and placement), or empty when its descriptor names no C
         * mode (said in the notes).
         */
        java.util.Optional<Extension> roundTripsFor(EchoTransport transport) {
            String id = transport.id();
            if (!transport.descriptor().hasNativeFloor()) {
                notes.add("No native floor for " + id + ": the C program covers the kernel's own mechanisms ("
                        + String.join(", ", Transports.all().stream().filter(t -> t.descriptor().hasNativeFloor())
                        .map(EchoTransport::id).toList()) + ").");
                return java.util.Optional.empty();
            }
            // the sizes the Java side cannot carry are not possible in C either (one UDP datagram): not measured
            List<Integer> carried = sizes.stream().filter(transport.descriptor()::carries).toList();
            double seconds = carried.size() * placements.size() * NativeFloor.secondsPerRun(perMeasurement);
            return java.util.Optional.of(new Extension("native (C) floor: " + id + " round trips", seconds,
                    () -> measure(id, carried, placements, 0)));
        }

        /**
         * The C streaming run for one transport and placement, to follow the Java one at once: across CPUs the
         * cost of waking a halted vCPU flips between regimes within minutes, so a throughput ratio is only
         * as good as the nearness in time of its two sides. Empty in quick mode and without a C mode.
         */
        java.util.Optional<Extension> streamFor(EchoTransport transport, Placement placement) {
            if (streamBytes <= 0 || !transport.descriptor().hasNativeFloor() || !placements.contains(placement)
                    || !transport.descriptor().limits().streams()) {
                return java.util.Optional.empty();
            }
            double seconds = NativeFloor.secondsPerRun(perMeasurement);
            return java.util.Optional.of(new Extension("native (C) floor: " + transport.id() + " streaming, "
                    + placement.label(), seconds, () -> measure(transport.id(), List.of(), List.of(placement), streamBytes)));
        }

        /**
         * One more C round trip of one point for a repeated round of the targets, kept apart from the floor's main
         * rows: {p50, p99} in µs, or empty when the floor could not measure it.
         */
        java.util.Optional<double[]> roundTrip(String transport, Placement placement, int size, java.time.Duration time) {
            if (!ensureCompiled()) {
                return java.util.Optional.empty();
            }
            NativeFloor.Outcome outcome = floor.measure(List.of(transport), List.of(size), List.of(placement), time, 0);
            double p50 = 0;
            double p99 = 0;
            for (Results.NativeResult row : outcome.rows()) {
                if (row.metric().equals("rtt_p50")) {
                    p50 = org.ipclab.report.Numbers.micros(row.value());
                } else if (row.metric().equals("rtt_p99")) {
                    p99 = org.ipclab.report.Numbers.micros(row.value());
                }
            }
            return p50 > 0 ? java.util.Optional.of(new double[] {p50, p99}) : java.util.Optional.empty();
        }

        private boolean ensureCompiled() {
            if (failed) {
                return false;   // compiling failed once: said in the notes already
            }
            if (floor == null) {
                floor = NativeFloor.compileOrNote(compiler, notes).orElse(null);
                failed = floor == null;
            }
            return !failed;
        }

        private void measure(String transport, List<Integer> sizes, List<Placement> where, int stream) {
            if (!ensureCompiled()) {
                return;
            }
            NativeFloor.Outcome outcome = floor.measure(List.of(transport), sizes, where, perMeasurement, stream);
            rows.addAll(outcome.rows());
            notes.addAll(outcome.notes());
        }

        /** Deletes the compiled program and its directory. */
        @Override
        public void close() {
            if (floor != null) {
                try {
                    floor.close();
                } catch (java.io.IOException e) {
                    notes.add("Could not delete the native floor's build directory: " + e.getMessage());
                }
            }
        }
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

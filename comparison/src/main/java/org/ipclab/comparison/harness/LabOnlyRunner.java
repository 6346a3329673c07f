package org.ipclab.comparison.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.ipclab.core.FileTrees;
import org.ipclab.comparison.backlog.BacklogExperiment;
import org.ipclab.comparison.lab.LabRecords;
import org.ipclab.comparison.properties.PropertyExperiments;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.Transports;
import org.ipclab.report.backlog.BacklogJson;
import org.ipclab.report.backlog.BacklogSettings;
import org.ipclab.report.model.LabRecord;
import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.PropertyResult;
import org.ipclab.report.model.Results.TransportStatus;

/**
 * {@code ./ipc-lab lab}: the lab's part of a comparison run and nothing else — the listed program run as the lab
 * runs it, the viva experiments, the property experiments (Answer 1's evidence) and the short backlog sweep
 * (Answer 2's) — as a {@link Results} the report renders like any other, with no benchmark in it.
 */
public final class LabOnlyRunner {

    /** What the report says about the transports this run did not benchmark. */
    public static final String NOT_BENCHMARKED = "./ipc-lab lab runs no benchmark: run ./ipc-lab compare for the"
            + " latency, throughput and set-up numbers";

    private LabOnlyRunner() {
    }

    public static Results run(Consumer<String> progress) throws IOException {
        Instant started = Instant.now();
        long startNs = System.nanoTime();
        EnvironmentProbe environment = EnvironmentProbe.start();
        List<String> notes = new ArrayList<>();
        List<EchoTransport> transports = new ArrayList<>();
        List<TransportStatus> statuses = new ArrayList<>();
        for (EchoTransport transport : Transports.all()) {
            transports.add(transport);
            statuses.add(new TransportStatus(transport.id(), transport.summary(), "skipped", NOT_BENCHMARKED));
        }

        progress.accept("the lab's server and client, then the viva questions");
        LabRecord lab = LabRecords.run(progress);

        List<PropertyResult> properties = new ArrayList<>();
        progress.accept("property experiments (Answer 1's evidence)");
        Path root = FileTrees.temporary("p");
        try {
            properties.addAll(PropertyExperiments.run(transports.stream().map(EchoTransport::id).toList(), root,
                    line -> { }));
        } catch (IOException | RuntimeException e) {
            notes.add("Failed: property experiments: " + e.getMessage());
        } finally {
            BenchSession.deleteTree(root);
        }

        BacklogSettings backlogSettings = Extensions.backlogSettings(
                CompareSettings.quick(List.of(), Path.of(".")));
        progress.accept("listen() backlog sweep " + backlogSettings.backlogs() + " (Answer 2's evidence)");
        com.fasterxml.jackson.databind.JsonNode backlog = null;
        try {
            backlog = BacklogJson.tree(BacklogExperiment.runSweep(backlogSettings));
        } catch (IOException | RuntimeException e) {
            notes.add("Failed: listen() backlog sweep: " + e.getMessage());
        }

        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mode", "lab");
        settings.put("transports", String.join(",", transports.stream().map(EchoTransport::id).toList()));
        double durationS = (System.nanoTime() - startNs) / 1e9;
        Results.RunInfo run = new Results.RunInfo(started.toString(), ResultRows.round(durationS, 1), "lab",
                settings, "./ipc-lab lab", org.ipclab.comparison.cli.IpcLabCommand.Version.version());
        return new Results(Results.SCHEMA, run, environment.finish(), statuses, List.of(), List.of(), List.of(),
                List.of(), properties, backlog, List.of(), notes)
                .withDescriptors(transports.stream().map(EchoTransport::descriptor).toList())
                .withLab(lab);
    }
}

package org.ipclab.comparison.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.ipclab.core.FileTrees;
import org.ipclab.comparison.bench.RoundTripBenchmark;
import org.ipclab.comparison.bench.SetupBenchmark;
import org.ipclab.comparison.bench.StreamBenchmark;
import org.ipclab.comparison.lab.LabRecords;
import org.ipclab.comparison.models.ServerModelSweep;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.JvmFlags;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.SetupVariant;
import org.ipclab.core.Transports;
import org.ipclab.report.Numbers;
import org.ipclab.report.model.LabRecord;
import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.CpuResult;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;
import org.ipclab.report.model.Results.TransportStatus;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the comparison: every available transport, the same bytes, the same way. Each measurement is one
 * JMH run ({@link RoundTripBenchmark}, {@link StreamBenchmark}, {@link SetupBenchmark}) whose echo peer runs
 * in a process of its own; JMH's raw results go to {@code <out>/jmh/}.
 */
public final class CompareRunner {

    /** Told about each step as it starts: what runs now, and how much of the whole plan is done. */
    public interface Progress {
        void step(String label, double doneSeconds, double totalSeconds);

        void note(String line);
    }

    private final CompareSettings settings;
    private final Progress progress;
    private final Path jmhDir;
    private final Path sidecar;
    private final Path scratch;
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> failures = new LinkedHashMap<>();
    private RunEnvironments environments;

    private CompareRunner(CompareSettings settings, Progress progress) throws IOException {
        this.settings = settings;
        this.progress = progress;
        this.jmhDir = Files.createDirectories(settings.out().resolve("jmh"));
        this.scratch = FileTrees.temporary("ipc-lab-compare-");
        this.sidecar = scratch.resolve("sidecar.jsonl");
    }

    /** A planned measurement, with the seconds it is expected to take (for the progress bar's ETA). */
    private record Step(String label, double seconds, StepBody body) {
    }

    @FunctionalInterface
    private interface StepBody {
        void run() throws Exception;
    }

    public static Results run(CompareSettings settings, Progress progress) throws IOException {
        CompareRunner runner = new CompareRunner(settings, progress);
        try {
            return runner.runAll();
        } finally {
            if (runner.environments != null) {
                runner.environments.close();   // the brokers a transport needed, stopped with their data
            }
            BenchSession.deleteTree(runner.scratch);
        }
    }

    private Results runAll() throws IOException {
        Instant started = Instant.now();
        long startNs = System.nanoTime();
        EnvironmentProbe environment = EnvironmentProbe.start();
        System.setProperty(BenchSession.SCRATCH_PROPERTY, scratch.toString());
        System.setProperty(Sidecar.FILE_PROPERTY, sidecar.toString());
        System.setProperty(BenchSession.REUSE_PROPERTY, String.valueOf(settings.forks() == 0));

        List<TransportStatus> statuses = new ArrayList<>();
        List<TransportDescriptor> descriptors = new ArrayList<>();
        List<EchoTransport> runnable = new ArrayList<>();
        for (String id : settings.transports()) {
            Optional<EchoTransport> transport = Transports.find(id);
            if (transport.isEmpty()) {
                statuses.add(new TransportStatus(id, "", "skipped", "not part of this build of ipc-lab"));
                continue;
            }
            descriptors.add(transport.get().descriptor());
            Optional<String> reason = transport.get().unavailableReason();
            if (reason.isPresent()) {
                statuses.add(new TransportStatus(id, transport.get().summary(), "skipped", reason.get()));
                continue;
            }
            statuses.add(new TransportStatus(id, transport.get().summary(), "measured", ""));
            runnable.add(transport.get());
        }
        // what a transport needs for the whole run (a broker) before anything is served: one failing skips only it
        environments = RunEnvironments.open(runnable, statuses, scratch, progress::note);
        List<Placement> placements = new ArrayList<>();
        for (Placement placement : settings.placements()) {
            String reason = CpuPlacement.unavailableReason(placement);
            if (reason == null) {
                placements.add(placement);
            } else {
                notes.add("Placement '" + placement.label() + "' was not measured: " + reason + ".");
            }
        }

        List<RunResult> latencyRuns = new ArrayList<>();
        List<RunResult> streamRuns = new ArrayList<>();
        List<RunResult> setupRuns = new ArrayList<>();
        List<Results.RoundResult> rounds = new ArrayList<>();
        List<Step> plan = new ArrayList<>();
        List<Results.NativeResult> nativeFloor = new ArrayList<>();
        Optional<Extensions.NativeFloorSteps> floorSteps = Extensions.NativeFloorSteps.plan(settings, placements, notes, nativeFloor);
        double perJmhRun = settings.warmupIterations() * settings.warmupTime().toMillis() / 1000.0
                + settings.measurementIterations() * settings.measurementTime().toMillis() / 1000.0 + 0.6;
        for (EchoTransport transport : runnable) {
            String id = transport.id();
            List<Integer> carried = CarriedSizes.of(transport, settings.sizes(), notes);
            for (Placement placement : placements) {
                if (skipPlacement(transport, placement)) {
                    continue;
                }
                for (int size : carried) {
                    plan.add(new Step(id + " round trip " + Numbers.size(size) + ", " + placement.label(), perJmhRun,
                            () -> latencyRuns.add(runJmh(RoundTripBenchmark.class, "roundTrip",
                                    Map.of("transport", id, "sizeBytes", String.valueOf(size), "placement", placement.name()),
                                    id + "-roundtrip-" + size + "-" + placement.name().toLowerCase(Locale.ROOT)))));
                }
            }
            // the same round trips in C, at once: side by side in time, not minutes apart
            floorSteps.flatMap(f -> f.roundTripsFor(transport))
                    .ifPresent(extension -> plan.add(new Step(extension.label(), extension.seconds(),
                            () -> besideIdlePeer(transport, extension.body()::run))));
            // the target points again, Java then C at once, in shorter rounds: a verdict needs more than one moment
            if (floorSteps.isPresent() && transport.descriptor().hasNativeFloor()) {
                List<Placement> where = placements.stream().filter(p -> !skipPlacement(transport, p)).toList();
                List<Integer> targetSizes = carried.stream()
                        .filter(CompareSettings.TARGET_SIZES::contains).toList();
                double perRound = where.size() * targetSizes.size()
                        * (settings.roundMeasurementTime().toMillis() / 1000.0 * 2.4 + 0.8);
                for (int round = 2; round <= settings.rounds() && !where.isEmpty() && !targetSizes.isEmpty(); round++) {
                    int r = round;
                    plan.add(new Step(id + " target round " + r + " of " + settings.rounds() + " (Java, then C)", perRound,
                            () -> rounds.addAll(targetRound(id, r, where, targetSizes, floorSteps.get()))));
                }
            }
            TransportDescriptor.Limits limits = transport.descriptor().limits();
            if (!limits.streams() && !settings.streamPlacements().isEmpty()) {
                notes.add(id + " streaming: not possible: " + limits.noStreaming() + ".");
            }
            for (Placement placement : limits.streams() ? settings.streamPlacements() : List.<Placement>of()) {
                if (!placements.contains(placement) || skipPlacement(transport, placement)) {
                    continue;
                }
                plan.add(new Step(id + " streaming, " + placement.label(), perJmhRun,
                        () -> streamRuns.add(runJmh(StreamBenchmark.class, "stream",
                                Map.of("transport", id, "placement", placement.name(),
                                        "messageBytes", String.valueOf(CompareSettings.STREAM_MESSAGE_BYTES),
                                        "streamBytes", String.valueOf(settings.streamBytes())),
                                id + "-stream-" + placement.name().toLowerCase(Locale.ROOT)))));
                floorSteps.flatMap(f -> f.streamFor(transport, placement))
                        .ifPresent(extension -> plan.add(new Step(extension.label(), extension.seconds(),
                                () -> besideIdlePeer(transport, extension.body()::run))));
            }
            // the echo peer served every size and placement of this transport; stop it before the next one
            plan.add(new Step(id + ": stopping its echo peer", 0.2, BenchSession::closeShared));
        }
        for (EchoTransport transport : runnable) {
            // each way the transport can be set up, as its descriptor lists them (a pipe: its JVM child, and cat)
            for (SetupVariant variant : transport.descriptor().setup()) {
                plan.add(new Step(transport.id() + " set-up cost" + (variant.key().isEmpty() ? "" : " (" + variant.key() + ")"),
                        settings.setupSamplesTimeMs() / 1000.0 + 1.0,
                        () -> setupRuns.add(runSetup(transport.id(), variant.key()))));
            }
        }
        // the lab's own program run as the lab runs it, and the viva questions: the lab record's first results
        LabRecord[] lab = new LabRecord[1];
        plan.add(new Step("the lab's program and the viva questions", 8.0, () -> lab[0] = LabRecords.run(line -> { })));
        List<Results.PropertyResult> properties = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode[] backlog = new com.fasterxml.jackson.databind.JsonNode[1];
        plan.addAll(steps(Extensions.plan(settings, runnable.stream().map(EchoTransport::id).toList(), placements,
                scratch, notes, properties, backlog)));

        // the server designs (iterative, threads, pool, nio, virtual) against 1 to 1,000 clients at once
        List<org.ipclab.report.model.ServerModelResult> serverModels = new ArrayList<>();
        List<org.ipclab.report.model.ServerMemoryResult> serverMemory = new ArrayList<>();
        List<org.ipclab.report.model.NetworkResult> network = new ArrayList<>();
        if (runnable.stream().anyMatch(t -> t.id().equals(ServerModelSweep.TRANSPORT))) {
            plan.addAll(steps(ServerSweepSteps.plan(settings, scratch, notes, serverModels, serverMemory)));
        }
        // TCP and UDP between two namespace hosts over an emulated link: what only a socket can do
        plan.addAll(steps(AcrossSteps.plan(settings, notes, network)));

        double total = plan.stream().mapToDouble(Step::seconds).sum();
        double done = 0;
        for (Step step : plan) {
            progress.step(step.label(), done, total);
            try {
                step.body().run();
            } catch (Exception e) {
                closeSharedQuietly();   // a failed measurement may leave the shared session half-used
                String why = ResultRows.failureLine(e);
                failures.put(step.label(), why);
                notes.add("Failed: " + step.label() + ": " + why);
                progress.note("failed: " + step.label() + ": " + why);
            }
            done += step.seconds();
        }
        closeSharedQuietly();
        floorSteps.ifPresent(Extensions.NativeFloorSteps::close);
        progress.step("writing the report", total, total);

        ResultRows rows = new ResultRows(Sidecar.readAll(sidecar));
        List<LatencyResult> latency = new ArrayList<>();
        List<CpuResult> cpu = new ArrayList<>();
        latencyRuns.forEach(run -> rows.roundTrip(run, latency, cpu));
        List<ThroughputResult> throughput = streamRuns.stream().map(rows::stream).toList();
        List<SetupResult> setup = new ArrayList<>(environments.setupRows());
        setupRuns.forEach(run -> setup.add(ResultRows.setup(run)));
        ResultRows.markUnmeasured(statuses, latency, failures);
        double durationS = (System.nanoTime() - startNs) / 1e9;
        Results.RunInfo run = new Results.RunInfo(started.toString(), ResultRows.round(durationS, 1), settings.mode(),
                settings.describe(), "./ipc-lab compare", org.ipclab.comparison.cli.IpcLabCommand.Version.version());
        return new Results(Results.SCHEMA, run, environment.finish(), statuses, latency, throughput, setup, cpu,
                properties, backlog[0], nativeFloor, notes).withDescriptors(descriptors).withLab(lab[0])
                .withServerModels(serverModels.isEmpty() ? null : serverModels)
                .withServerMemory(serverMemory.isEmpty() ? null : serverMemory)
                .withRounds(rounds.isEmpty() ? null : TargetRounds.withFirstRounds(rounds, latency, nativeFloor))
                .withNetwork(network.isEmpty() ? null : network);
    }

    /** One later round of one transport's target points: each Java run followed at once by the C program's. */
    private List<Results.RoundResult> targetRound(String id, int round, List<Placement> where, List<Integer> sizes,
                                                  Extensions.NativeFloorSteps floor) throws Exception {
        List<Results.RoundResult> done = new ArrayList<>();
        for (Placement placement : where) {
            for (int size : sizes) {
                String name = id + "-roundtrip-" + size + "-" + placement.name().toLowerCase(Locale.ROOT) + "-round" + round;
                ChainedOptionsBuilder options = new OptionsBuilder()
                        .include("^" + RoundTripBenchmark.class.getName().replace(".", "\\.") + "\\.roundTrip$")
                        .warmupIterations(0)   // the code and the echo peer are warm from the main run
                        .measurementIterations(1)
                        .measurementTime(TimeValue.milliseconds(settings.roundMeasurementTime().toMillis()))
                        .threads(1)
                        .shouldFailOnError(true)
                        .output(jmhDir.resolve(name + ".log").toString())
                        .result(jmhDir.resolve(name + ".json").toString())
                        .resultFormat(ResultFormatType.JSON);
                RunResult java = runJmh(options,
                        Map.of("transport", id, "sizeBytes", String.valueOf(size), "placement", placement.name()));
                Optional<double[]> c = besideIdlePeer(Transports.byId(id),
                        () -> floor.roundTrip(id, placement, size, settings.roundMeasurementTime()));
                if (c.isEmpty()) {
                    continue;
                }
                org.openjdk.jmh.util.Statistics stats = java.getPrimaryResult().getStatistics();
                done.add(new Results.RoundResult(id, placement, size, round, ResultRows.us(stats.getPercentile(50)),
                        ResultRows.us(stats.getPercentile(99)), org.ipclab.report.model.Quantity.of(c.get()[0], "us"),
                        org.ipclab.report.model.Quantity.of(c.get()[1], "us")));
            }
        }
        return done;
    }

    /**
     * Runs a C measurement beside the transport's Java echo peer, stopped first when it busy-spins: a spinning peer
     * holds a CPU even between benchmarks, and the C program's own spinning pair would share it (seen: C's 64 B
     * shm-spin median at 105 ms instead of 1.5 µs). The next Java run starts the peer again.
     */
    private static <T> T besideIdlePeer(EchoTransport transport, java.util.concurrent.Callable<T> measurement)
            throws Exception {
        if (transport.descriptor().bench().busySpins()) {
            BenchSession.closeShared();
        }
        return measurement.call();
    }

    private static void besideIdlePeer(EchoTransport transport, StepBody measurement) throws Exception {
        besideIdlePeer(transport, () -> {
            measurement.run();
            return null;
        });
    }

    private static List<Step> steps(List<Extensions.Extension> extensions) {
        return extensions.stream().map(e -> new Step(e.label(), e.seconds(), e.body()::run)).toList();
    }

    /**
     * Two busy-spinning processes on one CPU take turns by whole scheduler time slices: the number would
     * measure the scheduler, not the transport. (The native baseline skips its spinning ring there too.)
     */
    private boolean skipPlacement(EchoTransport transport, Placement placement) {
        if (transport.descriptor().bench().busySpins() && placement == Placement.SAME_CPU) {
            String note = transport.id() + " was not measured with client and server on the same CPU: with a"
                    + " busy-spinning pauser both processes spin, and on one CPU they take turns by scheduler time slices.";
            if (!notes.contains(note)) {
                notes.add(note);
            }
            return true;
        }
        return false;
    }

    private RunResult runJmh(Class<?> benchmark, String method, Map<String, String> params, String name)
            throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + benchmark.getName().replace(".", "\\.") + "\\." + method + "$")
                .warmupIterations(settings.warmupIterations())
                .warmupTime(TimeValue.milliseconds(settings.warmupTime().toMillis()))
                .measurementIterations(settings.measurementIterations())
                .measurementTime(TimeValue.milliseconds(settings.measurementTime().toMillis()))
                .threads(1)
                .shouldFailOnError(true)
                .output(jmhDir.resolve(name + ".log").toString())
                .result(jmhDir.resolve(name + ".json").toString())
                .resultFormat(ResultFormatType.JSON);
        return runJmh(options, params);
    }

    private RunResult runSetup(String id, String variant) throws RunnerException {
        String name = id + "-setup" + (variant.isEmpty() ? "" : "-" + variant);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + SetupBenchmark.class.getName().replace(".", "\\.") + "\\.connectAndFirstEcho$")
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(Math.min(500, settings.setupSamplesTimeMs() / 3)))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(settings.setupSamplesTimeMs()))
                .threads(1)
                .shouldFailOnError(true)
                .output(jmhDir.resolve(name + ".log").toString())
                .result(jmhDir.resolve(name + ".json").toString())
                .resultFormat(ResultFormatType.JSON);
        return runJmh(options, Map.of("transport", id, "variant", variant));
    }

    private RunResult runJmh(ChainedOptionsBuilder options, Map<String, String> params) throws RunnerException {
        params.forEach(options::param);
        options.forks(settings.forks());
        if (settings.forks() > 0) {
            List<String> jvmArgs = new ArrayList<>(JvmFlags.COMMON);
            jvmArgs.add("-D" + BenchSession.SCRATCH_PROPERTY + "=" + scratch);
            jvmArgs.add("-D" + Sidecar.FILE_PROPERTY + "=" + sidecar);
            jvmArgs.addAll(environments.jvmFlags());
            options.jvmArgs(jvmArgs.toArray(new String[0]));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        if (results.isEmpty()) {
            throw new RunnerException("JMH produced no result");
        }
        return results.iterator().next();
    }

    private void closeSharedQuietly() {
        try {
            BenchSession.closeShared();
        } catch (IOException e) {
            notes.add("Closing an echo peer failed: " + ResultRows.failureLine(e));
        }
    }

    /** The innermost message: JMH wraps a benchmark's exception as a suppressed one of its own. */
}

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

import org.ipclab.comparison.bench.RoundTripBenchmark;
import org.ipclab.comparison.bench.SetupBenchmark;
import org.ipclab.comparison.bench.StreamBenchmark;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.JvmFlags;
import org.ipclab.core.TransportIds;
import org.ipclab.core.Transports;
import org.ipclab.report.model.Quantity;
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
import org.openjdk.jmh.util.Statistics;

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

    private CompareRunner(CompareSettings settings, Progress progress) throws IOException {
        this.settings = settings;
        this.progress = progress;
        this.jmhDir = Files.createDirectories(settings.out().resolve("jmh"));
        this.scratch = Files.createTempDirectory("ipc-lab-compare-");
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
        List<String> runnable = new ArrayList<>();
        for (String id : settings.transports()) {
            Optional<EchoTransport> transport = Transports.find(id);
            if (transport.isEmpty()) {
                statuses.add(new TransportStatus(id, "", "skipped", "not part of this build of ipc-lab"));
                continue;
            }
            Optional<String> reason = transport.get().unavailableReason();
            if (reason.isPresent()) {
                statuses.add(new TransportStatus(id, transport.get().summary(), "skipped", reason.get()));
                continue;
            }
            statuses.add(new TransportStatus(id, transport.get().summary(), "measured", ""));
            runnable.add(id);
        }
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
        List<Step> plan = new ArrayList<>();
        List<Results.NativeResult> nativeFloor = new ArrayList<>();
        Optional<Extensions.NativeFloorSteps> floorSteps = Extensions.NativeFloorSteps.plan(settings, placements, notes, nativeFloor);
        double perJmhRun = settings.warmupIterations() * settings.warmupTime().toMillis() / 1000.0
                + settings.measurementIterations() * settings.measurementTime().toMillis() / 1000.0 + 0.6;
        for (String id : runnable) {
            for (Placement placement : placements) {
                if (skipPlacement(id, placement)) {
                    continue;
                }
                for (int size : settings.sizes()) {
                    plan.add(new Step(id + " round trip " + formatSize(size) + ", " + placement.label(), perJmhRun,
                            () -> latencyRuns.add(runJmh(RoundTripBenchmark.class, "roundTrip",
                                    Map.of("transport", id, "sizeBytes", String.valueOf(size), "placement", placement.name()),
                                    id + "-roundtrip-" + size + "-" + placement.name().toLowerCase(Locale.ROOT)))));
                }
            }
            // the same round trips in C, at once: side by side in time, not minutes apart
            floorSteps.flatMap(f -> f.roundTripsFor(id))
                    .ifPresent(extension -> plan.add(new Step(extension.label(), extension.seconds(), extension.body()::run)));
            for (Placement placement : settings.streamPlacements()) {
                if (!placements.contains(placement) || skipPlacement(id, placement)) {
                    continue;
                }
                plan.add(new Step(id + " streaming, " + placement.label(), perJmhRun,
                        () -> streamRuns.add(runJmh(StreamBenchmark.class, "stream",
                                Map.of("transport", id, "placement", placement.name(),
                                        "messageBytes", String.valueOf(CompareSettings.STREAM_MESSAGE_BYTES),
                                        "streamBytes", String.valueOf(settings.streamBytes())),
                                id + "-stream-" + placement.name().toLowerCase(Locale.ROOT)))));
                floorSteps.flatMap(f -> f.streamFor(id, placement))
                        .ifPresent(extension -> plan.add(new Step(extension.label(), extension.seconds(), extension.body()::run)));
            }
            // the echo peer served every size and placement of this transport; stop it before the next one
            plan.add(new Step(id + ": stopping its echo peer", 0.2, BenchSession::closeShared));
        }
        for (String id : runnable) {
            List<String> children = TransportIds.PIPE.equals(id) ? List.of("", "cat") : List.of("");
            for (String child : children) {
                plan.add(new Step(id + " set-up cost" + (child.isEmpty() ? "" : " (" + child + ")"),
                        settings.setupSamplesTimeMs() / 1000.0 + 1.0,
                        () -> setupRuns.add(runSetup(id, child))));
            }
        }
        List<Results.PropertyResult> properties = new ArrayList<>();
        com.fasterxml.jackson.databind.JsonNode[] backlog = new com.fasterxml.jackson.databind.JsonNode[1];
        Extensions.plan(settings, runnable, placements, scratch, notes, properties, backlog)
                .forEach(extension -> plan.add(new Step(extension.label(), extension.seconds(), extension.body()::run)));

        double total = plan.stream().mapToDouble(Step::seconds).sum();
        double done = 0;
        for (Step step : plan) {
            progress.step(step.label(), done, total);
            try {
                step.body().run();
            } catch (Exception e) {
                closeSharedQuietly();   // a failed measurement may leave the shared session half-used
                String why = firstLine(e);
                failures.put(step.label(), why);
                notes.add("Failed: " + step.label() + ": " + why);
                progress.note("failed: " + step.label() + ": " + why);
            }
            done += step.seconds();
        }
        closeSharedQuietly();
        floorSteps.ifPresent(Extensions.NativeFloorSteps::close);
        progress.step("writing the report", total, total);

        List<Map<String, Object>> sidecars = Sidecar.readAll(sidecar);
        List<LatencyResult> latency = new ArrayList<>();
        List<CpuResult> cpu = new ArrayList<>();
        for (RunResult run : latencyRuns) {
            String id = run.getParams().getParam("transport");
            int size = Integer.parseInt(run.getParams().getParam("sizeBytes"));
            Placement placement = Placement.valueOf(run.getParams().getParam("placement"));
            Statistics stats = run.getPrimaryResult().getStatistics();
            Map<String, Object> extra = find(sidecars, "roundtrip", id, placement, size);
            long verified = number(extra, "verified");
            latency.add(new LatencyResult(id, placement, size, stats.getN(), verified,
                    us(stats.getPercentile(50)), us(stats.getPercentile(90)), us(stats.getPercentile(99)),
                    us(stats.getPercentile(99.9)), us(stats.getMax())));
            long ops = number(extra, "measuredOps");
            if (ops > 0) {
                cpu.add(new CpuResult(id, placement, size,
                        us(number(extra, "clientCpuNs") / (double) ops),
                        us(number(extra, "serverCpuNs") / (double) ops),
                        us(number(extra, "wallNs") / (double) ops)));
            }
        }
        List<ThroughputResult> throughput = new ArrayList<>();
        for (RunResult run : streamRuns) {
            String id = run.getParams().getParam("transport");
            Placement placement = Placement.valueOf(run.getParams().getParam("placement"));
            int messageBytes = Integer.parseInt(run.getParams().getParam("messageBytes"));
            long streamBytes = Long.parseLong(run.getParams().getParam("streamBytes"));
            double p50Ns = run.getPrimaryResult().getStatistics().getPercentile(50);
            Map<String, Object> extra = find(sidecars, "stream", id, placement, -1);
            throughput.add(new ThroughputResult(id, placement, messageBytes, streamBytes,
                    Quantity.of(round(streamBytes / (1024.0 * 1024.0) / (p50Ns / 1e9), 1), "MiB/s"),
                    number(extra, "verifiedBytes")));
        }
        List<SetupResult> setup = new ArrayList<>();
        for (RunResult run : setupRuns) {
            String id = run.getParams().getParam("transport");
            String child = run.getParams().getParam("child");
            Statistics stats = run.getPrimaryResult().getStatistics();
            setup.add(new SetupResult(id, setupLabel(id, child), ms(stats.getPercentile(50)), ms(stats.getMin()),
                    (int) stats.getN()));
        }
        for (TransportStatus status : new ArrayList<>(statuses)) {
            if (status.status().equals("measured") && latency.stream().noneMatch(l -> l.transport().equals(status.id()))) {
                statuses.set(statuses.indexOf(status), new TransportStatus(status.id(), status.summary(), "failed",
                        failures.entrySet().stream().filter(f -> f.getKey().startsWith(status.id() + " "))
                                .map(Map.Entry::getValue).findFirst().orElse("no measurement succeeded")));
            }
        }
        double durationS = (System.nanoTime() - startNs) / 1e9;
        Results.RunInfo run = new Results.RunInfo(started.toString(), round(durationS, 1), settings.mode(),
                settings.describe(), "./ipc-lab compare", org.ipclab.comparison.cli.IpcLabCommand.Version.version());
        return new Results(Results.SCHEMA, run, environment.finish(), statuses, latency, throughput, setup, cpu,
                properties, backlog[0], nativeFloor, notes);
    }

    /**
     * Two busy-spinning processes on one CPU take turns by whole scheduler time slices: the number would
     * measure the scheduler, not the queue. (The native baseline skips its spinning ring there too.)
     */
    private boolean skipPlacement(String id, Placement placement) {
        boolean spins = "busy".equals(BenchOptions.forTransport(id).get("pauser"));
        if (spins && placement == Placement.SAME_CPU) {
            String note = id + " was not measured with client and server on the same CPU: with a busy-spinning pauser"
                    + " both processes spin, and on one CPU they take turns by scheduler time slices.";
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

    private RunResult runSetup(String id, String child) throws RunnerException {
        ChainedOptionsBuilder options = new OptionsBuilder()
                .include("^" + SetupBenchmark.class.getName().replace(".", "\\.") + "\\.connectAndFirstEcho$")
                .warmupIterations(1)
                .warmupTime(TimeValue.milliseconds(Math.min(500, settings.setupSamplesTimeMs() / 3)))
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(settings.setupSamplesTimeMs()))
                .threads(1)
                .shouldFailOnError(true)
                .output(jmhDir.resolve(id + "-setup" + (child.isEmpty() ? "" : "-" + child) + ".log").toString())
                .result(jmhDir.resolve(id + "-setup" + (child.isEmpty() ? "" : "-" + child) + ".json").toString())
                .resultFormat(ResultFormatType.JSON);
        return runJmh(options, Map.of("transport", id, "child", child));
    }

    private RunResult runJmh(ChainedOptionsBuilder options, Map<String, String> params) throws RunnerException {
        params.forEach(options::param);
        options.forks(settings.forks());
        if (settings.forks() > 0) {
            List<String> jvmArgs = new ArrayList<>(JvmFlags.COMMON);
            jvmArgs.add("-D" + BenchSession.SCRATCH_PROPERTY + "=" + scratch);
            jvmArgs.add("-D" + Sidecar.FILE_PROPERTY + "=" + sidecar);
            options.jvmArgs(jvmArgs.toArray(new String[0]));
        }
        Collection<RunResult> results = new Runner(options.build()).run();
        if (results.isEmpty()) {
            throw new RunnerException("JMH produced no result");
        }
        return results.iterator().next();
    }

    private static String setupLabel(String id, String child) {
        return switch (id) {
            case TransportIds.TCP -> "TCP connect + first echo";
            case TransportIds.UNIX -> "Unix socket connect + first echo";
            case TransportIds.PIPE -> child.isEmpty() ? "spawn a JVM echo child + first echo" : "spawn `" + child + "` + first echo";
            case TransportIds.FIFO -> "open the FIFO pair + first echo";
            case TransportIds.CHRONICLE -> "open the queues + first echo";
            case TransportIds.POSIX_MQ -> "mq_open the queues + first echo";
            default -> "connect + first echo";
        };
    }

    private static Map<String, Object> find(List<Map<String, Object>> records, String kind, String transport,
                                            Placement placement, int size) {
        for (int i = records.size() - 1; i >= 0; i--) {
            Map<String, Object> r = records.get(i);
            if (kind.equals(r.get("kind")) && transport.equals(r.get("transport"))
                    && placement.name().equals(r.get("placement"))
                    && (size < 0 || Integer.valueOf(size).equals(r.get("sizeBytes")))) {
                return r;
            }
        }
        return Map.of();
    }

    private static long number(Map<String, Object> record, String key) {
        Object value = record.get(key);
        return value instanceof Number n ? n.longValue() : 0;
    }

    static Quantity us(double ns) {
        return Quantity.of(round(ns / 1000.0, 3), "us");
    }

    static Quantity ms(double ns) {
        return Quantity.of(round(ns / 1e6, 6), "ms");
    }

    static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    static String formatSize(int bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " B";
    }

    private void closeSharedQuietly() {
        try {
            BenchSession.closeShared();
        } catch (IOException e) {
            notes.add("Closing an echo peer failed: " + firstLine(e));
        }
    }

    /** The innermost message: JMH wraps a benchmark's exception as a suppressed one of its own. */
    private static String firstLine(Throwable e) {
        Throwable t = e;
        while (true) {
            if (t.getCause() != null && t.getCause() != t) {
                t = t.getCause();
            } else if (t.getSuppressed().length > 0) {
                t = t.getSuppressed()[0];
            } else {
                break;
            }
        }
        String message = t.getMessage() != null ? t.getMessage() : t.toString();
        return message.lines().findFirst().orElse(message);
    }
}

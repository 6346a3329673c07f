package org.ipclab.comparison.harness;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ipclab.report.model.Results.Placement;

/**
 * What one comparison run measures and for how long. The three modes trade time for steadiness:
 * {@code quick} (at most 150 s on 2 cores), {@code default} (at most 10 min), {@code full} (longer, JMH forks).
 */
public record CompareSettings(String mode, List<String> transports, List<Integer> sizes, List<Placement> placements,
                              List<Placement> streamPlacements, int warmupIterations, Duration warmupTime,
                              int measurementIterations, Duration measurementTime, int forks, int streamBytes,
                              int setupSamplesTimeMs, boolean properties, boolean backlog, boolean nativeFloor,
                              Path out) {

    public static final List<Integer> DEFAULT_SIZES = List.of(64, 1024, 64 * 1024, 1024 * 1024);
    public static final int STREAM_MESSAGE_BYTES = 64 * 1024;

    public static CompareSettings quick(List<String> transports, Path out) {
        return new CompareSettings("quick", transports, List.of(64, 64 * 1024),
                List.of(Placement.SAME_CPU, Placement.DIFFERENT_CPUS), List.of(Placement.DIFFERENT_CPUS),
                1, Duration.ofMillis(250), 1, Duration.ofMillis(500), 0, 4 * 1024 * 1024, 500,
                true, true, true, out);
    }

    public static CompareSettings standard(List<String> transports, Path out) {
        return new CompareSettings("default", transports, DEFAULT_SIZES,
                List.of(Placement.SAME_CPU, Placement.DIFFERENT_CPUS), List.of(Placement.SAME_CPU, Placement.DIFFERENT_CPUS),
                1, Duration.ofMillis(500), 2, Duration.ofMillis(900), 0, 8 * 1024 * 1024, 1500,
                true, true, true, out);
    }

    public static CompareSettings full(List<String> transports, Path out) {
        return new CompareSettings("full", transports, DEFAULT_SIZES,
                List.of(Placement.SAME_CPU, Placement.DIFFERENT_CPUS, Placement.UNPINNED),
                List.of(Placement.SAME_CPU, Placement.DIFFERENT_CPUS),
                2, Duration.ofSeconds(1), 5, Duration.ofSeconds(1), 1, 16 * 1024 * 1024, 3000,
                true, true, true, out);
    }

    public CompareSettings withSizes(List<Integer> newSizes) {
        return new CompareSettings(mode, transports, newSizes, placements, streamPlacements, warmupIterations,
                warmupTime, measurementIterations, measurementTime, forks, streamBytes, setupSamplesTimeMs,
                properties, backlog, nativeFloor, out);
    }

    public CompareSettings withTransports(List<String> newTransports) {
        return new CompareSettings(mode, newTransports, sizes, placements, streamPlacements, warmupIterations,
                warmupTime, measurementIterations, measurementTime, forks, streamBytes, setupSamplesTimeMs,
                properties, backlog, nativeFloor, out);
    }

    /** The sizes whose round trips have performance targets, measured again in later rounds. */
    public static final List<Integer> TARGET_SIZES = List.of(64, 1024);

    /**
     * Rounds of the target points: the main measurement, then shorter repeats of Java and C one right after the
     * other, so a target is judged on more than one lucky moment of a shared machine. One in quick mode.
     */
    public int rounds() {
        return mode.equals("quick") ? 1 : 3;
    }

    /** How long each later round measures one point, in Java and again in C. */
    public Duration roundMeasurementTime() {
        return Duration.ofMillis(500);
    }

    /** For the report's Method section and results.json. */
    public Map<String, String> describe() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("mode", mode);
        m.put("transports", String.join(",", transports));
        m.put("sizes.bytes", sizes.toString());
        m.put("placements", placements.toString());
        m.put("stream.placements", streamPlacements.toString());
        m.put("jmh.mode", "SampleTime");
        m.put("jmh.warmup", warmupIterations + " x " + warmupTime.toMillis() + " ms");
        m.put("jmh.measurement", measurementIterations + " x " + measurementTime.toMillis() + " ms");
        m.put("jmh.forks", forks == 0 ? "0 (in the harness JVM)" : String.valueOf(forks));
        m.put("stream.bytes.per.op", String.valueOf(streamBytes));
        m.put("stream.message.bytes", String.valueOf(STREAM_MESSAGE_BYTES));
        m.put("setup.measurement.ms", String.valueOf(setupSamplesTimeMs));
        m.put("target.rounds", rounds() + (rounds() > 1 ? " (later rounds " + roundMeasurementTime().toMillis()
                + " ms each, Java then C)" : ""));
        m.put("client.cpu", String.valueOf(CpuPlacement.CLIENT_CPU));
        m.put("server.cpu.when.different", String.valueOf(CpuPlacement.OTHER_CPU));
        return m;
    }
}

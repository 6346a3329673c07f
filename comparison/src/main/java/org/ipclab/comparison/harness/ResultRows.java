package org.ipclab.comparison.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ipclab.core.TransportDescriptor.SetupVariant;
import org.ipclab.core.Transports;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results.CpuResult;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;
import org.ipclab.report.model.Results.TransportStatus;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * Turns JMH's results, and what the benchmarks wrote beside them ({@link Sidecar}), into the rows of results.json:
 * JMH's nanoseconds become µs and ms, the sidecar's counters become verified echoes and CPU time per round trip.
 */
final class ResultRows {

    private final List<Map<String, Object>> sidecars;

    ResultRows(List<Map<String, Object>> sidecars) {
        this.sidecars = sidecars;
    }

    /** A round-trip run: its latency percentiles, and its CPU time per round trip when it counted any. */
    void roundTrip(RunResult run, List<LatencyResult> latency, List<CpuResult> cpu) {
        String id = run.getParams().getParam("transport");
        int size = Integer.parseInt(run.getParams().getParam("sizeBytes"));
        Placement placement = Placement.valueOf(run.getParams().getParam("placement"));
        Statistics stats = run.getPrimaryResult().getStatistics();
        // the point's first record is its main run; later ones are the shorter target rounds
        Map<String, Object> extra = findFirst("roundtrip", id, placement, size);
        latency.add(new LatencyResult(id, placement, size, stats.getN(), number(extra, "verified"),
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

    /** A streaming run: MiB/s from the median time of one operation, and the bytes it compared. */
    ThroughputResult stream(RunResult run) {
        String id = run.getParams().getParam("transport");
        Placement placement = Placement.valueOf(run.getParams().getParam("placement"));
        int messageBytes = Integer.parseInt(run.getParams().getParam("messageBytes"));
        long streamBytes = Long.parseLong(run.getParams().getParam("streamBytes"));
        double p50Ns = run.getPrimaryResult().getStatistics().getPercentile(50);
        return new ThroughputResult(id, placement, messageBytes, streamBytes,
                Quantity.of(round(streamBytes / (1024.0 * 1024.0) / (p50Ns / 1e9), 1), "MiB/s"),
                number(find("stream", id, placement, -1), "verifiedBytes"));
    }

    /** A set-up run, labelled with what its variant timed (the transport's descriptor says). */
    static SetupResult setup(RunResult run) {
        String id = run.getParams().getParam("transport");
        String key = run.getParams().getParam("variant");
        String label = Transports.find(id).flatMap(t -> t.descriptor().setupVariant(key)).map(SetupVariant::label)
                .orElse(key);
        Statistics stats = run.getPrimaryResult().getStatistics();
        return new SetupResult(id, label, ms(stats.getPercentile(50)), ms(stats.getMin()), (int) stats.getN(), key);
    }

    /** The newest sidecar record of one measurement (size -1: any size). */
    private Map<String, Object> find(String kind, String transport, Placement placement, int size) {
        for (int i = sidecars.size() - 1; i >= 0; i--) {
            Map<String, Object> r = sidecars.get(i);
            if (kind.equals(r.get("kind")) && transport.equals(r.get("transport"))
                    && placement.name().equals(r.get("placement"))
                    && (size < 0 || Integer.valueOf(size).equals(r.get("sizeBytes")))) {
                return r;
            }
        }
        return Map.of();
    }

    /** The oldest sidecar record of one measurement. */
    private Map<String, Object> findFirst(String kind, String transport, Placement placement, int size) {
        for (Map<String, Object> r : sidecars) {
            if (kind.equals(r.get("kind")) && transport.equals(r.get("transport"))
                    && placement.name().equals(r.get("placement")) && Integer.valueOf(size).equals(r.get("sizeBytes"))) {
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

    /**
     * A transport listed as measured that has no latency row failed: its status says so, with the first failure of
     * a step of its own ({@code failures} by step label) or "no measurement succeeded".
     */
    static void markUnmeasured(List<TransportStatus> statuses, List<LatencyResult> latency, Map<String, String> failures) {
        for (TransportStatus status : new ArrayList<>(statuses)) {
            if (status.status().equals("measured") && latency.stream().noneMatch(l -> l.transport().equals(status.id()))) {
                statuses.set(statuses.indexOf(status), new TransportStatus(status.id(), status.summary(), "failed",
                        failures.entrySet().stream().filter(f -> f.getKey().startsWith(status.id() + " "))
                                .map(Map.Entry::getValue).findFirst().orElse("no measurement succeeded")));
            }
        }
    }

    /** What a failed step shows: the first line of its deepest cause (or first suppressed failure). */
    static String failureLine(Throwable e) {
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

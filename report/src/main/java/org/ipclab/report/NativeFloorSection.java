package org.ipclab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.NativeResult;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.ThroughputResult;

/**
 * Java ÷ native (C) floor: each Java measurement beside the same work done in C in the same session, as a ratio.
 * A native row names its transport by id or by the C program's mode for it (the descriptor's {@code nativeMode}).
 */
final class NativeFloorSection extends Section {

    NativeFloorSection(Measurements m, Markdown md, ChartWriter charts) {
        super(m, md, charts);
    }

    /**
     * The C floor's value for one transport, placement, size and metric ("rtt_p50" in µs, "stream_mib_s" in
     * MiB/s), or null when the run has none.
     */
    static Double value(Measurements m, String transport, Placement placement, int size, String metric) {
        for (NativeResult n : m.nativeRows()) {
            String t = m.descriptors.transportOfNative(n.transport());
            if (t.equals(transport) && n.placement() == placement && n.sizeBytes() == size
                    && metric.equalsIgnoreCase(n.metric()) && n.value() != null) {
                return metric.startsWith("rtt") ? Numbers.micros(n.value()) : Numbers.mibPerSecond(n.value());
            }
        }
        return null;
    }

    @Override
    void render() {
        List<NativeResult> rows = m.nativeRows();
        if (rows.isEmpty()) {
            return;
        }
        md.heading(3, "Java ÷ native (C) floor");
        md.paragraph("The same echo written in C, measured in the same session under the same placement, is the "
                + "floor: what the operating system costs with no JVM in the way. A ratio of 1 means Java adds "
                + "nothing.");
        MarkdownTable latency = new MarkdownTable("transport", "placement", "size", "metric", "Java (µs)", "C (µs)",
                "Java ÷ C").rightAlign(2, 4, 5, 6);
        MarkdownTable throughput = new MarkdownTable("transport", "placement", "write size", "Java (MiB/s)",
                "C (MiB/s)", "Java ÷ C").rightAlignFrom(2);
        MarkdownTable other = new MarkdownTable("transport", "placement", "size", "metric", "C value")
                .rightAlign(2, 4);
        List<Double> latencyRatios = new ArrayList<>();
        for (NativeResult n : rows) {
            String transport = m.descriptors.transportOfNative(n.transport());
            String metric = n.metric() == null ? "" : n.metric().toLowerCase(java.util.Locale.ROOT);
            String percentile = metric.contains("p50") ? "p50" : metric.contains("p90") ? "p90"
                    : metric.contains("p99") && !metric.contains("p999") ? "p99" : null;
            Optional<LatencyResult> java = m.latency(transport, n.placement(), n.sizeBytes());
            if (percentile != null && java.isPresent() && isTime(n.value())) {
                Double javaUs = Measurements.micros(switch (percentile) {
                    case "p50" -> java.get().p50();
                    case "p90" -> java.get().p90();
                    default -> java.get().p99();
                });
                double nativeUs = Numbers.micros(n.value());
                if (javaUs != null && nativeUs > 0) {
                    latency.row(Text.id(transport), n.placement().label(), Numbers.size(n.sizeBytes()), percentile,
                            Numbers.format(javaUs), Numbers.format(nativeUs), Numbers.ratio(javaUs / nativeUs));
                    if (percentile.equals("p50")) {
                        latencyRatios.add(javaUs / nativeUs);
                    }
                    continue;
                }
            }
            Optional<ThroughputResult> stream = m.throughputRows().stream()
                    .filter(t -> t.transport().equals(transport) && t.placement() == n.placement()
                            && t.messageBytes() == n.sizeBytes() && t.mibPerSecond() != null).findFirst();
            if (isRate(n.value()) && stream.isPresent()) {
                double javaRate = Numbers.mibPerSecond(stream.get().mibPerSecond());
                double nativeRate = Numbers.mibPerSecond(n.value());
                throughput.row(Text.id(transport), n.placement().label(), Numbers.size(n.sizeBytes()),
                        Numbers.format(javaRate), Numbers.format(nativeRate), Numbers.ratio(javaRate / nativeRate));
                continue;
            }
            other.row(Markdown.code(n.transport()), n.placement().label(), Numbers.size(n.sizeBytes()),
                    Markdown.code(n.metric()), n.value() == null ? "–"
                            : Numbers.format(n.value().value()) + " " + n.value().unit());
        }
        if (!latency.isEmpty()) {
            md.paragraph("Round trips (Java ÷ C above 1: Java takes longer):");
            md.table(latency);
            if (latencyRatios.size() >= 2) {
                md.paragraph("Across these medians Java ÷ C ranged from "
                        + Numbers.ratio(latencyRatios.stream().min(Double::compare).orElseThrow()) + " to "
                        + Numbers.ratio(latencyRatios.stream().max(Double::compare).orElseThrow()) + " (median "
                        + Numbers.ratio(Measurements.median(latencyRatios)) + ").");
            }
        }
        if (!throughput.isEmpty()) {
            md.paragraph("Streaming (Java ÷ C below 1: Java moves less):");
            md.table(throughput);
        }
        if (!other.isEmpty()) {
            md.paragraph("C measurements with no Java counterpart in this run:");
            md.table(other);
        }
    }

    private static boolean isTime(Quantity q) {
        try {
            return q != null && Numbers.micros(q) >= 0;
        } catch (IllegalArgumentException ignored) {
            // not a time unit: this C row is no latency and is listed with the other C rows instead
            return false;
        }
    }

    private static boolean isRate(Quantity q) {
        try {
            return q != null && Numbers.mibPerSecond(q) >= 0;
        } catch (IllegalArgumentException ignored) {
            // not a rate unit: this C row is no throughput and is listed with the other C rows instead
            return false;
        }
    }
}

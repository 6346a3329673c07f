package org.ipclab.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.chart.Charts;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.Placement;

/** Round-trip latency: a chart and a table of medians per placement, and every percentile on request. */
final class LatencySection extends Section {

    LatencySection(Measurements m, Markdown md, ChartWriter charts) {
        super(m, md, charts);
    }

    @Override
    void render() throws IOException {
        md.heading(3, "Round-trip latency");
        if (m.latencyRows().isEmpty()) {
            md.paragraph("Latency was not measured in this run.");
            return;
        }
        md.paragraph("Median (p50) time of one round trip in µs: the client sends n bytes and reads the n bytes back. "
                + "Lower is better. The charts have a logarithmic time axis — equal heights are equal ratios, so 10 to 100 µs is "
                + "as tall as 100 to 1,000 µs — with the median as a solid line and the 99th percentile (p99) dashed.");
        List<String> sizes = m.latencySizes.stream().map(Numbers::size).toList();
        for (Placement placement : m.latencyPlacements) {
            md.heading(4, Text.title(placement));
            if (placement == Placement.UNPINNED) {
                md.paragraph("Not one truth: unpinned, each run lands wherever the scheduler put the two processes, "
                        + "between the same-CPU and the different-CPU numbers, and may mix both. See "
                        + "[Same CPU or different CPUs](#" + PlacementSection.ANCHOR + ").");
            }
            List<Charts.Line> lines = new ArrayList<>();
            MarkdownTable table = new MarkdownTable(Cells.header("transport", sizes)).rightAlignFrom(1);
            for (String transport : m.latencyTransports()) {
                List<Double> p50 = new ArrayList<>();
                List<Double> p99 = new ArrayList<>();
                List<String> cells = new ArrayList<>();
                cells.add(Text.id(transport));
                boolean any = false;
                for (int size : m.latencySizes) {
                    Optional<LatencyResult> row = m.latency(transport, placement, size);
                    p50.add(row.map(r -> Measurements.micros(r.p50())).orElse(null));
                    p99.add(row.map(r -> Measurements.micros(r.p99())).orElse(null));
                    cells.add(row.map(r -> Cells.us(r.p50()))
                            .orElse(m.descriptors.notPossible(transport, size).orElse("–")));
                    any |= row.isPresent();
                }
                if (any) {
                    lines.add(new Charts.Line(transport, transport, p50, false, true));
                    lines.add(new Charts.Line(transport, transport + " p99", p99, true, false));
                    table.row(cells);
                }
            }
            String file = "latency-" + Text.slug(placement) + ".svg";
            String link = charts.write(file, Charts.lines(m.palette, "Round-trip latency, " + Text.where(placement),
                    "solid: median (p50) · dashed: p99 · lower is better", "message size",
                    "round-trip time (µs, log scale)", sizes, lines, true));
            md.image("Round-trip latency " + Text.where(placement) + " by message size, per transport", link);
            md.paragraph("Median round trip, µs, " + Text.where(placement) + ":");
            md.table(table);
        }
        md.details("All latency percentiles (µs), samples and verified echoes", () -> {
            MarkdownTable all = new MarkdownTable("transport", "placement", "size", "samples", "verified", "p50",
                    "p90", "p99", "p99.9", "max").rightAlignFrom(3);
            List<LatencyResult> rows = new ArrayList<>(m.latencyRows());
            rows.sort(Comparator.comparing(LatencyResult::placement)
                    .thenComparingInt((LatencyResult r) -> m.transports.indexOf(r.transport()))
                    .thenComparingInt(LatencyResult::sizeBytes));
            for (LatencyResult r : rows) {
                all.row(Text.id(r.transport()), r.placement().label(), Numbers.size(r.sizeBytes()),
                        Numbers.count(r.samples()), Numbers.count(r.verified()), Cells.us(r.p50()), Cells.us(r.p90()),
                        Cells.us(r.p99()), Cells.us(r.p999()), Cells.us(r.max()));
            }
            md.table(all);
        });
    }
}

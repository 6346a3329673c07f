package org.ipclab.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.chart.Charts;
import org.ipclab.report.model.Results.ThroughputResult;

/** Streaming throughput: MiB/s per transport and placement, and who moved the most. */
final class ThroughputSection extends Section {

    ThroughputSection(Measurements m, Markdown md, ChartWriter charts) {
        super(m, md, charts);
    }

    @Override
    void render() throws IOException {
        md.heading(3, "Streaming throughput");
        List<ThroughputResult> rows = m.throughputSorted();
        if (rows.isEmpty()) {
            md.paragraph("Throughput was not measured in this run.");
            return;
        }
        md.paragraph("MiB/s of payload echoed back while the client streams writes of one size. Higher is better.");
        boolean severalSizes = rows.stream().map(ThroughputResult::messageBytes).distinct().count() > 1;
        Map<String, List<ThroughputResult>> byCategory = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing(ThroughputResult::placement)
                        .thenComparingInt(ThroughputResult::messageBytes))
                .forEach(r -> byCategory.computeIfAbsent(r.placement().label()
                        + (severalSizes ? ", " + Numbers.size(r.messageBytes()) + " writes" : ""),
                        k -> new ArrayList<>()).add(r));
        List<String> categories = List.copyOf(byCategory.keySet());
        List<Charts.Bars> bars = new ArrayList<>();
        for (String transport : m.transports) {
            List<Double> values = new ArrayList<>();
            boolean any = false;
            for (String category : categories) {
                Optional<ThroughputResult> row = byCategory.get(category).stream()
                        .filter(r -> r.transport().equals(transport)).findFirst();
                values.add(row.map(r -> Numbers.mibPerSecond(r.mibPerSecond())).orElse(null));
                any |= row.isPresent();
            }
            if (any) {
                bars.add(new Charts.Bars(transport, values));
            }
        }
        String subtitle = severalSizes ? "higher is better"
                : Numbers.size(rows.get(0).messageBytes()) + " writes · higher is better";
        String link = charts.write("throughput.svg", Charts.groupedBars(m.palette, "Streaming echo throughput", subtitle,
                "placement", "echoed payload (MiB/s)", categories, bars, false));
        md.image("Streaming throughput per transport and placement", link);
        MarkdownTable table = new MarkdownTable("transport", "placement", "write size", "bytes per operation",
                "MiB/s", "bytes verified").rightAlignFrom(2);
        for (ThroughputResult r : rows) {
            table.row(Text.id(r.transport()), r.placement().label(), Numbers.size(r.messageBytes()),
                    Numbers.count(r.streamBytes()), r.mibPerSecond() == null ? "–"
                            : Numbers.format(Numbers.mibPerSecond(r.mibPerSecond())), Numbers.count(r.verifiedBytes()));
        }
        md.table(table);
        for (String transport : m.transports) {
            m.descriptors.noStreaming(transport).ifPresent(why -> md.paragraph(Text.id(transport)
                    + ": streaming not possible: " + why + "."));
        }
        List<String> sentences = new ArrayList<>();
        for (String category : categories) {
            List<ThroughputResult> ranked = byCategory.get(category).stream().filter(r -> r.mibPerSecond() != null)
                    .sorted(Comparator.comparingDouble((ThroughputResult r) -> -Numbers.mibPerSecond(r.mibPerSecond())))
                    .toList();
            if (ranked.size() >= 2) {
                ThroughputResult top = ranked.get(0);
                ThroughputResult last = ranked.get(ranked.size() - 1);
                double topRate = Numbers.mibPerSecond(top.mibPerSecond());
                double lastRate = Numbers.mibPerSecond(last.mibPerSecond());
                sentences.add(Text.capital(category) + ": " + Text.id(top.transport()) + " moved the most ("
                        + Text.mibs(topRate) + "), " + Numbers.ratio(topRate / lastRate) + " as much as "
                        + Text.id(last.transport()) + " (" + Text.mibs(lastRate) + ").");
            }
        }
        md.paragraph(sentences.toArray(String[]::new));
    }
}

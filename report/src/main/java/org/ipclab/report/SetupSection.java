package org.ipclab.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.chart.Charts;
import org.ipclab.report.model.Results.SetupResult;

/** Set-up cost: the time from nothing to the first echo, cheapest first. */
final class SetupSection extends Section {

    SetupSection(Measurements m, Markdown md, ChartWriter charts) {
        super(m, md, charts);
    }

    @Override
    void render() throws IOException {
        md.heading(3, "Set-up cost");
        List<SetupResult> rows = m.setupSorted();
        if (rows.isEmpty()) {
            md.paragraph("Set-up cost was not measured in this run.");
            return;
        }
        md.paragraph("Time from nothing to the first echo, in ms (median and fastest of the samples); the chart's "
                + "axis is logarithmic because set-up costs differ by orders of magnitude.");
        List<Charts.Bar> bars = m.setupPositive().stream().map(r -> new Charts.Bar(r.transport(),
                r.transport() + ": " + (r.what() == null ? "" : r.what().replace("`", "")),
                Numbers.millis(r.p50()))).toList();
        String link = bars.isEmpty() ? null : charts.write("setup.svg", Charts.horizontalBars(m.palette, "Set-up cost: nothing to first echo",
                        "median of the samples · lower is better", "time (ms, log scale)", bars,
                        v -> Text.ms(v), true),
                org.ipclab.report.chart.ChartStyle.WIDTH, Math.max(300, 120 + 42 * bars.size()));
        if (link != null) {
            md.image("Set-up cost per transport", link);
        }
        MarkdownTable table = new MarkdownTable("transport", "what is timed", "p50 (ms)", "min (ms)", "samples")
                .rightAlignFrom(2);
        for (SetupResult r : rows) {
            table.row(Text.id(r.transport()), r.what(), Numbers.format(Numbers.millis(r.p50())),
                    r.min() == null ? "–" : Numbers.format(Numbers.millis(r.min())), Numbers.count(r.samples()));
        }
        md.table(table);
        List<SetupResult> positive = m.setupLikeForLike();
        List<String> sentences = new ArrayList<>();
        if (positive.size() >= 2) {
            SetupResult cheapest = positive.get(0);
            SetupResult dearest = positive.get(positive.size() - 1);
            double low = Numbers.millis(cheapest.p50());
            double high = Numbers.millis(dearest.p50());
            sentences.add("Like with like (each transport opening its own channel, no JVM started), the cheapest "
                    + "set-up was " + Text.id(cheapest.transport()) + " ("
                    + Markdown.escape(cheapest.what()) + ", " + Text.ms(low) + "), the dearest "
                    + Text.id(dearest.transport()) + " (" + Markdown.escape(dearest.what()) + ", " + Text.ms(high)
                    + "): " + Numbers.ratio(high / low) + " as long.");
        }
        for (SetupResult jvm : m.setupPositive()) {
            if (m.descriptors.startsJvm(jvm)) {
                sentences.add(Text.id(jvm.transport()) + " with " + Markdown.escape(jvm.what()) + " took "
                        + Text.ms(Numbers.millis(jvm.p50())) + ": that is mostly a JVM starting up, not the "
                        + "mechanism, so it is not compared with the others.");
            }
        }
        List<String> zero = rows.stream().filter(r -> Numbers.millis(r.p50()) <= 0)
                .map(r -> Text.id(r.transport()) + " (" + Markdown.escape(r.what()) + ")").toList();
        if (!zero.isEmpty()) {
            sentences.add("The median of " + Text.join(zero) + " was below the precision results.json records "
                    + "(it reads 0 ms), so it is left out of the chart and of the comparisons.");
        }
        md.paragraph(sentences.toArray(String[]::new));
    }
}

package org.ipclab.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.model.LabRun;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;

/**
 * Results of the lab record: first what the lab's own server and client printed when this run ran them, then one
 * table of key numbers per transport and at most {@value #MAX_CHARTS} of the charts the appendix draws.
 */
final class KeyResultsSection {

    static final int MAX_CHARTS = 3;

    /** The charts the record shows (file name, alt text), in this order; the backlog's goes with Answer 2. */
    private static final List<String[]> CHARTS = List.of(
            new String[] {"latency-different-cpus.svg", "Round-trip latency on different CPUs by message size"},
            new String[] {"throughput.svg", "Streaming throughput per transport and placement"},
            new String[] {"setup.svg", "Set-up cost per transport"});

    private final Measurements m;
    private final Markdown md;
    private final ChartWriter charts;

    KeyResultsSection(Measurements m, Markdown md, ChartWriter charts) {
        this.m = m;
        this.md = md;
        this.charts = charts;
    }

    void render() {
        md.heading(2, "Results");
        md.heading(3, "The lab program's run");
        labRun();
        md.heading(3, "Key numbers");
        table();
        int shown = 0;
        for (String[] chart : CHARTS) {
            if (shown < MAX_CHARTS && written(chart[0])) {
                md.image(chart[1], ChartWriter.CHARTS_DIR + "/" + chart[0]);
                shown++;
            }
        }
        md.paragraph("Every per-size table, the CPU time, placement, C floor and target checks, the environment "
                + "and the method are in the [appendix](" + Appendix.FILE + "#" + Appendix.RESULTS + ").");
    }

    boolean written(String fileName) {
        return charts.written().stream().map(Path::getFileName).anyMatch(p -> p.toString().equals(fileName));
    }

    private void labRun() {
        LabRun run = m.results.lab() == null ? null : m.results.lab().run();
        if (run == null) {
            md.paragraph(m.results.lab() == null
                    ? "The lab program did not run in this results file (it was written before runs recorded it)."
                    : "The lab program did not run in this run, so there is no output to show.");
            return;
        }
        List<String> lines = new ArrayList<>();
        lines.add("$ " + String.join(" ", run.serverCommand()) + "        # terminal 1");
        run.serverLines().forEach(lines::add);
        lines.add("$ " + String.join(" ", run.clientCommand()) + "        # terminal 2");
        run.clientLines().forEach(lines::add);
        lines.add("# client exit code: " + (run.clientExitCode() == null ? "none (it did not finish)"
                : run.clientExitCode()));
        lines.add("# server exit code: " + (run.serverExitCode() == null ? "none (it did not start)"
                : run.serverExitCode()) + (run.serverStop() == null ? "" : " (" + run.serverStop() + ")"));
        md.fenced("text", String.join("\n", lines));
        md.paragraph(run.ok() ? "The server printed its `Connected by` line and the client got its echo."
                : "The lab run did not give the expected output: " + Markdown.escape(run.failure()) + ".");
    }

    private void table() {
        int size = m.referenceSize();
        if (m.transports.isEmpty()) {
            md.paragraph("No transport was measured in this run.");
            return;
        }
        String sizeLabel = size < 0 ? "" : Numbers.size(size) + " ";
        MarkdownTable table = new MarkdownTable("transport", sizeLabel + "round trip p50, same CPU",
                sizeLabel + "round trip p50, different CPUs", "set-up p50 (what is timed)", "streaming")
                .rightAlignFrom(1);
        for (String transport : m.transports) {
            table.row(Text.id(transport), latency(transport, Placement.SAME_CPU, size),
                    latency(transport, Placement.DIFFERENT_CPUS, size), setup(transport), streaming(transport));
        }
        md.table(table);
        md.paragraph("Set-up is the transport's own way of opening a channel; a variant that starts a JVM is left "
                + "out here because JVM start-up, not the mechanism, is most of its time (it is in the appendix). "
                + "Streaming is on different CPUs where measured.");
    }

    private String latency(String transport, Placement placement, int size) {
        Double p50 = size < 0 ? null : m.p50Us(transport, placement, size);
        return p50 == null ? "–" : unbroken(Text.latency(p50));
    }

    /** A number and its unit on one line: a narrow column breaks between the words of a cell, not inside "19.2 µs". */
    private static String unbroken(String value) {
        return value.replace(' ', '\u00a0');
    }

    /** The cheapest set-up of this transport that does not start a JVM: like with like across transports. */
    Optional<SetupResult> likeForLike(String transport) {
        return m.setupPositive().stream().filter(r -> r.transport().equals(transport))
                .filter(r -> !m.descriptors.startsJvm(r) && !Measurements.startsEnvironment(r)).findFirst();
    }

    private String setup(String transport) {
        return likeForLike(transport).map(r -> unbroken(Text.ms(Numbers.millis(r.p50()))) + " ("
                + Markdown.escape(r.what()) + ")").orElse("–");
    }

    private String streaming(String transport) {
        List<ThroughputResult> rows = m.throughputRows().stream()
                .filter(r -> r.transport().equals(transport) && r.mibPerSecond() != null).toList();
        Optional<ThroughputResult> row = rows.stream().filter(r -> r.placement() == Placement.DIFFERENT_CPUS)
                .max(Comparator.comparingDouble(r -> Numbers.mibPerSecond(r.mibPerSecond())))
                .or(() -> rows.stream().max(Comparator.comparingDouble(r -> Numbers.mibPerSecond(r.mibPerSecond()))));
        return row.map(r -> unbroken(Text.mibs(Numbers.mibPerSecond(r.mibPerSecond())))
                + (r.placement() == Placement.DIFFERENT_CPUS ? "" : " (" + r.placement().label() + ")"))
                .orElse(m.descriptors.noStreaming(transport).isPresent() ? "not possible" : "–");
    }
}

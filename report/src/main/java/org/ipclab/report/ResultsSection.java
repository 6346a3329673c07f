package org.ipclab.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.model.Results.TransportStatus;

/**
 * Results: the transports' status, then a section per measurement — tables and charts, each read out in a sentence
 * or two — then the C floor and the performance targets.
 */
final class ResultsSection extends Section {

    ResultsSection(Measurements m, Markdown md, ChartWriter charts) {
        super(m, md, charts);
    }

    @Override
    void render() throws IOException {
        md.anchor(Appendix.RESULTS);
        md.heading(2, "Results in full");
        transports();
        new LatencySection(m, md, charts).render();
        new ThroughputSection(m, md, charts).render();
        new SetupSection(m, md, charts).render();
        new CpuSection(m, md, charts).render();
        new PlacementSection(m, md, charts).render();
        new NativeFloorSection(m, md, charts).render();
        new TargetsSection(m, md, charts).render();
    }

    private void transports() {
        md.heading(3, "Transports");
        MarkdownTable table = new MarkdownTable("transport", "mechanism", "status", "reason");
        for (String transport : m.transports) {
            Optional<TransportStatus> status = m.status(transport);
            table.row(Text.id(transport), status.map(TransportStatus::summary).orElse(""),
                    status.map(TransportStatus::status).orElse("not listed"),
                    status.map(TransportStatus::reason).orElse(""));
        }
        md.table(table);
        List<String> sentences = new ArrayList<>();
        List<TransportStatus> measured = m.statuses("measured");
        sentences.add(Text.capital(Text.plural(measured.size(), "transport")) + " measured"
                + (measured.isEmpty() ? "." : ": " + Text.join(measured.stream().map(t -> Text.id(t.id())).toList())
                + "."));
        for (String which : List.of("skipped", "failed")) {
            List<TransportStatus> rows = m.statuses(which);
            if (!rows.isEmpty()) {
                sentences.add(Text.capital(which) + ": " + Text.join(rows.stream().map(t -> Text.id(t.id()) + " ("
                        + (t.reason() == null || t.reason().isBlank() ? "no reason recorded" : Markdown.escape(t.reason()))
                        + ")").toList()) + ".");
            }
        }
        md.paragraph(sentences.toArray(String[]::new));
    }
}

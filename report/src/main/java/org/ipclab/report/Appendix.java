package org.ipclab.report;

import java.io.IOException;

import org.ipclab.report.chart.ChartWriter;

/**
 * APPENDIX.md: everything the lab record leaves out — environment, method, every table and chart, the other
 * transports' sequence diagrams, the raw evidence of both answers — each part once, under a stable anchor the
 * record links ({@code APPENDIX.md#results}).
 */
final class Appendix {

    static final String FILE = "APPENDIX.md";
    static final String ENVIRONMENT = "environment";
    static final String TRANSPORTS = "how-each-transport-works";
    static final String RESULTS = "results";
    static final String ANSWER_1 = "answer-1-evidence";
    static final String ANSWER_2 = "answer-2-evidence";

    private Appendix() {
    }

    /** Renders the appendix; charts are written through {@code charts} (all of them: the record only links). */
    static String render(Measurements m, ChartWriter charts, AnalysisSection analysis) throws IOException {
        Markdown md = new Markdown();
        md.heading(1, "Appendix");
        md.paragraph("The evidence behind the [lab record](" + ReportWriter.REPORT_FILE + "), from the same run's "
                + "`results.json`: environment and method, every measurement in full, and the raw evidence of both "
                + "answers.");
        new FrontSections(m, md, charts).render();
        new ResultsSection(m, md, charts).render();
        new ServerModelsSection(m).render(md, charts);
        NetworkSection.renderInAppendix(md, charts, m.results);
        FailoverSection.renderInAppendix(md, m.results);
        analysis.appendix(md);
        new VivaSection(m, md).renderMore();
        return md.toString();
    }
}

package org.ipclab.report.backlog;

import java.io.IOException;

import org.ipclab.report.Question2Renderer;
import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.model.Results;

/**
 * The report's "Answer 2" from results.json's {@code backlog} field: the backlog experiment's own section
 * ({@link BacklogSection#body}) with its chart written through the report's {@link ChartWriter}. Found by
 * {@link Question2Renderer#installed()} through META-INF/services.
 */
public final class BacklogQuestion2Renderer implements Question2Renderer {

    /** The chart's file name under the report's charts folder. */
    public static final String CHART_FILE = "backlog-sweep.svg";

    @Override
    public String render(Results results, ChartWriter charts) throws IOException {
        if (results.backlog() == null || results.backlog().isNull()) {
            return NOT_AVAILABLE.render(results, charts);
        }
        BacklogReport report = BacklogJson.fromTree(results.backlog());
        String link = charts.write(CHART_FILE, BacklogChart.chart(report));
        return BacklogSection.body(report, link, 4);
    }

    @Override
    public String conclusion(Results results) {
        if (results.backlog() == null || results.backlog().isNull()) {
            return NOT_AVAILABLE.conclusion(results);
        }
        try {
            return new BacklogFindings(BacklogJson.fromTree(results.backlog())).conclusion();
        } catch (IOException e) {
            return "";
        }
    }
}

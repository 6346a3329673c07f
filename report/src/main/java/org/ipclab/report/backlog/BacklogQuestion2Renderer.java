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

    /**
     * Answer 2 in prose for the lab record ({@link BacklogAnswer}): what this run measured, the kernel's
     * reasoning, and what it means for the lab's iterative server.
     */
    @Override
    public String answer(Results results) {
        if (results.backlog() == null || results.backlog().isNull()) {
            return NOT_MEASURED;
        }
        try {
            return BacklogAnswer.prose(BacklogJson.fromTree(results.backlog()));
        } catch (IOException e) {
            return "The backlog experiment's result in results.json could not be read (" + e.getMessage()
                    + "), so Answer 2 is not measured in this run.";
        }
    }

    /** Answer 2 when the experiment did not run: what listen(2) documents, no measurement claimed. */
    static final String NOT_MEASURED = "The backlog experiment was not measured in this run (`./ipc-lab backlog` "
            + "runs it), so this answer rests on the documentation only. listen(2) says that when the queue of "
            + "connections waiting for accept() is full, a client may get ECONNREFUSED or, where the protocol "
            + "retransmits, its request may be ignored so that a later attempt succeeds; Linux TCP does the latter, "
            + "and caps every backlog at `net.core.somaxconn`. The lab's iterative server serves one client at a "
            + "time, so the others wait in that queue, and beyond it in SYN retransmissions.\n";

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

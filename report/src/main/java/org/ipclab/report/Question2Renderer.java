package org.ipclab.report;

import java.io.IOException;
import java.util.ServiceLoader;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.model.Results;

/**
 * Writes "Answer 2" of the report — what happens when more clients connect than the backlog given to
 * {@code listen()} — from {@link Results#backlog()}, the backlog experiment's JSON.
 *
 * <p>The report does not know that JSON's shape; the backlog experiment's renderer does. It is found with
 * {@link ServiceLoader} (a line in {@code META-INF/services/org.ipclab.report.Question2Renderer}) or passed to
 * {@link ReportWriter#write(Results, java.nio.file.Path, Question2Renderer)}. Without one, {@link #NOT_AVAILABLE}
 * says the experiment did not run (backlog null) or shows its raw JSON.
 */
public interface Question2Renderer {

    /**
     * The body of "Answer 2" in Markdown, without the heading. Charts go through {@code charts}, which returns
     * the link to put in the Markdown. Every number must come from {@code results}.
     */
    String render(Results results, ChartWriter charts) throws IOException;

    /**
     * Answer 2 in prose for the lab record (REPORT.md): what happens and why, in the kernel's terms, every number
     * from {@code results}; {@link #render} then gives the full evidence for the appendix. "" when not available.
     */
    default String answer(Results results) {
        return "";
    }

    /** One or two sentences for the report's Conclusion, or "" for none. */
    default String conclusion(Results results) {
        return "";
    }

    /** The renderer to use when none is given: the first one on the class path, else {@link #NOT_AVAILABLE}. */
    static Question2Renderer installed() {
        return ServiceLoader.load(Question2Renderer.class, Question2Renderer.class.getClassLoader()).findFirst()
                .orElse(NOT_AVAILABLE);
    }

    /** Says that the experiment did not run, or, if it ran, shows its result as JSON. */
    Question2Renderer NOT_AVAILABLE = new Question2Renderer() {
        @Override
        public String render(Results results, ChartWriter charts) {
            if (results.backlog() == null || results.backlog().isNull()) {
                return "The backlog experiment did not run in this report, so this question is not answered "
                        + "from measurements here.";
            }
            return "The backlog experiment ran, but this build of the report has no renderer for its result. "
                    + "Its raw result, as recorded in results.json:\n\n```json\n"
                    + results.backlog().toPrettyString() + "\n```";
        }

        @Override
        public String conclusion(Results results) {
            return results.backlog() == null || results.backlog().isNull()
                    ? "The backlog question (Answer 2) was not measured in this run." : "";
        }
    };
}

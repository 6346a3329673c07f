package org.ipclab.report;

import org.ipclab.report.model.VivaAnswer;

/** Viva: the examiner's questions, each answered from this run's small experiments, or marked as not measured. */
final class VivaSection {

    /** The viva question on iterative and concurrent servers (comparison's IterativeVersusConcurrent). */
    static final String ITERATIVE_VS_CONCURRENT = "iterative-vs-concurrent";

    private final Measurements m;
    private final Markdown md;

    VivaSection(Measurements m, Markdown md) {
        this.m = m;
        this.md = md;
    }

    void render() {
        md.heading(2, "Viva");
        if (m.results.lab() == null || m.results.lab().viva().isEmpty()) {
            md.paragraph(m.results.lab() == null
                    ? "The viva was not in this run (its results file was written before runs answered it)."
                    : "The viva experiments did not run in this run.");
            return;
        }
        for (VivaAnswer viva : m.results.lab().viva()) {
            md.paragraph("**" + Markdown.escape(viva.question()) + "**");
            // the iterative-or-concurrent answer also cites the server-design sweep of the same run
            String sweep = ITERATIVE_VS_CONCURRENT.equals(viva.id())
                    ? new ServerModelsSection(m).iterativeSentence(Appendix.FILE).map(s -> " " + s).orElse("") : "";
            md.paragraph(Markdown.escape(viva.answer()) + (viva.observed() ? "" : " *(not measured: "
                    + Markdown.escape(viva.reason() == null || viva.reason().isBlank() ? "no reason recorded"
                    : viva.reason()) + ")*") + sweep);
        }
    }
}

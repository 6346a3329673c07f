package org.ipclab.report;

import java.util.List;
import java.util.Set;

import org.ipclab.report.model.VivaAnswer;

/** Viva: the examiner's questions, each answered from this run's small experiments, or marked as not measured. */
final class VivaSection {

    /** The viva question on iterative and concurrent servers (comparison's IterativeVersusConcurrent). */
    static final String ITERATIVE_VS_CONCURRENT = "iterative-vs-concurrent";
    /** The appendix's anchor for the questions the record leaves out. */
    static final String MORE_ANCHOR = "more-viva-questions";
    /**
     * The questions the record itself answers: the socket program's own (the lab is "Socket Programming-I"). The
     * others — blocking calls, SIGPIPE, pipes, queues, shared memory, Chronicle, and any added later — are in the
     * appendix, which keeps the record within its 3,500 words.
     */
    static final Set<String> IN_RECORD = Set.of("tcp-vs-udp", "ephemeral-port", "accept-new-socket", "htons",
            "eaddrinuse", "recv-returns-zero", "short-reads", "send-vs-sendall", ITERATIVE_VS_CONCURRENT);

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
        List<VivaAnswer> more = m.results.lab().viva().stream().filter(v -> !IN_RECORD.contains(v.id())).toList();
        m.results.lab().viva().stream().filter(v -> IN_RECORD.contains(v.id())).forEach(this::answer);
        if (!more.isEmpty()) {
            md.paragraph(more.size() + " more questions, on the other mechanisms and on blocking and signals, are "
                    + "answered the same way in the [appendix](" + Appendix.FILE + "#" + MORE_ANCHOR + ").");
        }
    }

    /** The appendix's part: the questions the record leaves out (nothing when there are none). */
    void renderMore() {
        if (m.results.lab() == null) {
            return;
        }
        List<VivaAnswer> more = m.results.lab().viva().stream().filter(v -> !IN_RECORD.contains(v.id())).toList();
        if (more.isEmpty()) {
            return;
        }
        md.anchor(MORE_ANCHOR).heading(2, "More viva questions");
        more.forEach(this::answer);
    }

    private void answer(VivaAnswer viva) {
        md.paragraph("**" + Markdown.escape(viva.question()) + "**");
        // the iterative-or-concurrent answer also cites the server-design sweep of the same run
        String sweep = ITERATIVE_VS_CONCURRENT.equals(viva.id())
                ? new ServerModelsSection(m).iterativeSentence(Appendix.FILE).map(s -> " " + s).orElse("") : "";
        md.paragraph(Markdown.escape(viva.answer()) + (viva.observed() ? "" : " *(not measured: "
                + Markdown.escape(viva.reason() == null || viva.reason().isBlank() ? "no reason recorded"
                : viva.reason()) + ")*") + sweep);
    }
}

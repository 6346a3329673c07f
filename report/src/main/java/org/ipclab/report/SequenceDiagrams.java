package org.ipclab.report;

import java.util.List;
import java.util.Optional;

import org.ipclab.core.TransportDescriptor.RoundTrip;
import org.ipclab.core.TransportDescriptor.Step;

/**
 * A transport's round trip as a Mermaid sequence diagram (GitHub draws ```mermaid blocks): the system calls a client
 * and its echo peer make, in order, and what the kernel does between them. The calls are the transport's own data
 * ({@link RoundTrip}, from its descriptor in results.json); this class only draws them, so another renderer can draw
 * the same data another way.
 */
final class SequenceDiagrams {

    private static final String INDENT = "    ";

    private SequenceDiagrams() {
    }

    /** The Mermaid source of {@code roundTrip}; empty when it has no steps. */
    static Optional<String> mermaid(RoundTrip roundTrip) {
        if (roundTrip == null || !roundTrip.hasSteps()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder("sequenceDiagram\n");
        roundTrip.participants().forEach(p -> out.append(INDENT).append("participant ").append(p.key())
                .append(" as ").append(text(p.label())).append('\n'));
        steps(out, roundTrip.steps(), INDENT);
        return Optional.of(out.toString());
    }

    private static void steps(StringBuilder out, List<Step> steps, String indent) {
        for (Step step : steps) {
            out.append(indent);
            switch (step.type()) {
                case CALL -> arrow(out, step, "->>");
                case ANSWER -> arrow(out, step, "-->>");
                case NOTE -> out.append("Note over ").append(step.from())
                        .append(step.to() == null || step.to().equals(step.from()) ? "" : "," + step.to())
                        .append(": ").append(text(step.text()));
                case LOOP -> {
                    out.append("loop ").append(text(step.text())).append('\n');
                    steps(out, step.body(), indent + INDENT);
                    out.append(indent).append("end");
                }
            }
            out.append('\n');
        }
    }

    /** "S->>K: listen(backlog)": a solid arrow for a call, a dashed one for what comes back. */
    private static void arrow(StringBuilder out, Step step, String arrow) {
        out.append(step.from()).append(arrow).append(step.to()).append(": ").append(text(step.text()));
    }

    /** Mermaid ends a message at a line break or ';' (and reads "#…;" as a character code): keep it on one line. */
    private static String text(String text) {
        return text.replace('\n', ' ').replace(';', ',');
    }
}

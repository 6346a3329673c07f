package org.ipclab.report;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.ipclab.core.TransportDescriptor.RoundTrip;
import org.ipclab.core.TransportDescriptor.Step;
import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.diagram.PlantUml;

/**
 * A transport's round trip as a PlantUML sequence diagram: the system calls a client and its echo peer make, in
 * order, and what the kernel does between them. The report draws it to SVG ({@code diagram.PlantUml}) so that it
 * shows the same on GitHub, in the HTML page and on paper. The calls are the transport's own data
 * ({@link RoundTrip}, from its descriptor in results.json); this class only writes them in PlantUML's words.
 */
final class SequenceDiagrams {

    private static final String INDENT = "  ";

    private SequenceDiagrams() {
    }

    /**
     * Draws {@code transport}'s round trip to {@code charts/sequence-<transport>.svg} and returns its link; empty
     * when the descriptor has no steps.
     */
    static Optional<String> draw(ChartWriter charts, String transport, String title, RoundTrip roundTrip)
            throws IOException {
        Optional<String> source = plantUml(title, roundTrip);
        if (source.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(charts.writeSvg(fileName(transport), PlantUml.svg(source.get())));
    }

    /** The diagram's file name: the transport's id made safe for a file name. */
    static String fileName(String transport) {
        return "sequence-" + transport.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9.-]", "-") + ".svg";
    }

    /** The PlantUML source of {@code roundTrip} under {@code title}; empty when it has no steps. */
    static Optional<String> plantUml(String title, RoundTrip roundTrip) {
        if (roundTrip == null || !roundTrip.hasSteps()) {
            return Optional.empty();
        }
        StringBuilder out = new StringBuilder("@startuml\n");
        // Without this PlantUML repeats every participant's box under the diagram: a long diagram then reads as two.
        out.append("hide footbox\n");
        out.append("title ").append(text(title)).append('\n');
        roundTrip.participants().forEach(p -> out.append("participant \"").append(text(p.label()).replace('"', '\''))
                .append("\" as ").append(p.key()).append('\n'));
        steps(out, roundTrip.steps(), "");
        return Optional.of(out.append("@enduml\n").toString());
    }

    private static void steps(StringBuilder out, List<Step> steps, String indent) {
        for (Step step : steps) {
            out.append(indent);
            switch (step.type()) {
                case CALL -> arrow(out, step, "->");
                case ANSWER -> arrow(out, step, "-->");
                case NOTE -> out.append("note over ").append(step.from())
                        .append(step.to() == null || step.to().equals(step.from()) ? "" : ", " + step.to())
                        .append(" : ").append(text(step.text()));
                case LOOP -> {
                    out.append("loop ").append(text(step.text())).append('\n');
                    steps(out, step.body(), indent + INDENT);
                    out.append(indent).append("end");
                }
            }
            out.append('\n');
        }
    }

    /** "S -> K : listen(backlog)": a solid arrow for a call, a dashed one for what comes back. */
    private static void arrow(StringBuilder out, Step step, String arrow) {
        out.append(step.from()).append(' ').append(arrow).append(' ').append(step.to()).append(" : ")
                .append(text(step.text()));
    }

    /** A PlantUML message ends at the line's end, and "\n" inside one is a line break it draws: keep one line. */
    private static String text(String text) {
        return text.replace("\\", "\\\\").replace('\n', ' ');
    }
}

package org.ipclab.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.PropertyResult;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;

/** Analysis: Answer 1 (the property matrix and what the numbers mean) and Answer 2 (the backlog). */
final class AnalysisSection {

    static final String NOT_SHOWN = "(not shown)";

    private final Measurements m;
    private final ChartWriter charts;
    private final Question2Renderer question2;
    private Markdown md;

    AnalysisSection(Measurements m, ChartWriter charts, Question2Renderer question2) {
        this.m = m;
        this.charts = charts;
        this.question2 = question2;
    }

    /** The appendix's part, rendered first: it writes the backlog chart the record then links. */
    void appendix(Markdown appendix) throws IOException {
        md = appendix;
        appendix.anchor(Appendix.ANSWER_1);
        appendix.heading(2, "Answer 1: the evidence");
        evidence();
        numbers();
        appendix.anchor(Appendix.ANSWER_2);
        appendix.heading(2, "Answer 2: the backlog experiment in full");
        appendix.raw(question2.render(m.results, charts));
    }

    /** Analysis of the lab record: both answers in prose, the property matrix, the backlog chart. */
    void record(Markdown record) {
        md = record;
        record.heading(2, "Analysis");
        record.heading(3, "Answer 1");
        record.paragraph("*How is socket programming different from pipes and message queues?*");
        record.raw(AnswerOne.prose(m.results));
        matrix();
        record.heading(3, "Answer 2");
        record.paragraph("*What happens when more clients connect than the backlog given to `listen()`?*");
        String answer = question2.answer(m.results);
        if (answer != null && !answer.isBlank()) {
            record.raw(answer);
        }
        new ServerModelsSection(m).iterativeSentence(Appendix.FILE).ifPresent(record::paragraph);
        record.paragraph("This run's backlog evidence, trial by trial, is in the [appendix](" + Appendix.FILE + "#"
                + Appendix.ANSWER_2 + ").");
        charts.written().stream().map(p -> p.getFileName().toString()).filter(f -> f.startsWith("backlog"))
                .findFirst().ifPresent(f -> record.image("Clients connected against the backlog",
                        ChartWriter.CHARTS_DIR + "/" + f));
    }

    /** A matrix cell: the value, marked when the run could not show it; a failed experiment's value as is. */
    static String cell(PropertyResult p) {
        if (p.value() != null && p.value().startsWith("failed:")) {
            return Markdown.escape(p.value());
        }
        return Markdown.escape(p.value()) + (p.observed() ? "" : " " + NOT_SHOWN);
    }

    private List<String> propertyTransports() {
        return m.transports.stream()
                .filter(t -> m.propertyRows().stream().anyMatch(p -> p.transport().equals(t))).toList();
    }

    private void matrix() {
        List<String> properties = m.propertyNames();
        if (properties.isEmpty()) {
            md.paragraph("The property experiments did not run in this report, so there is no property matrix.");
            return;
        }
        md.paragraph("What an experiment showed for each transport and property in this run; " + NOT_SHOWN
                + " marks one the run could not demonstrate. What each experiment did and saw is in the [appendix]("
                + Appendix.FILE + "#" + Appendix.ANSWER_1 + ").");
        List<String> header = new ArrayList<>();
        header.add("transport");
        properties.stream().map(Markdown::escape).forEach(header::add);
        MarkdownTable table = new MarkdownTable(header);
        for (String transport : propertyTransports()) {
            List<String> cells = new ArrayList<>();
            cells.add(Text.id(transport));
            for (String property : properties) {
                cells.add(m.property(transport, property).map(AnalysisSection::cell).orElse("–"));
            }
            table.row(cells);
        }
        md.table(table);
    }

    private void evidence() {
        List<String> properties = m.propertyNames();
        if (properties.isEmpty()) {
            md.paragraph("The property experiments did not run in this report.");
            return;
        }
        md.paragraph("What each property experiment did and saw, per transport.");
        List<String> evidence = new ArrayList<>();
        for (String property : properties) {
            StringBuilder item = new StringBuilder("**" + Markdown.escape(property) + "**");
            for (String transport : propertyTransports()) {
                Optional<PropertyResult> p = m.property(transport, property);
                p.ifPresent(r -> item.append("\n- ").append(Text.id(transport)).append(" — ")
                        .append(cell(r)).append(": ")
                        .append(Markdown.escape(r.evidence() == null ? "" : r.evidence().replace("\n", " "))));
            }
            evidence.add(item.toString());
        }
        md.bullets(evidence);
    }

    /** "What the numbers mean": sentences computed from the latency, throughput and set-up results. */
    private void numbers() {
        md.heading(3, "What the numbers mean");
        int size = m.referenceSize();
        List<Placement> placements = m.pinnedPlacements().isEmpty() ? m.latencyPlacements : m.pinnedPlacements();
        if (size < 0 || placements.isEmpty()) {
            md.paragraph("No round-trip latency was measured in this run, so there are no numbers to read here.");
        }
        for (Placement placement : placements) {
            List<Measurements.Ranked> ranked = m.ranking(placement, size);
            if (ranked.isEmpty()) {
                continue;
            }
            List<String> sentences = new ArrayList<>();
            sentences.add("With client and server " + Text.where(placement) + ", a " + Numbers.size(size)
                    + " round trip took (median, fastest first) " + Text.join(ranked.stream()
                    .map(r -> Text.id(r.transport()) + " " + Text.latency(r.p50Us())).toList()) + ".");
            if (placement == Placement.UNPINNED) {
                sentences.add("These are unpinned numbers: the scheduler's choice of CPUs is part of them.");
            }
            socketSentence(placement, size).ifPresent(sentences::add);
            Measurements.Ranked fastest = ranked.get(0);
            if (m.spins(fastest.transport())) {
                Optional<Measurements.Ranked> sleeper = ranked.stream().filter(r -> !m.spins(r.transport())).findFirst();
                sentences.add(Text.id(fastest.transport()) + " is fastest because it spins (see CPU time per round "
                        + "trip): it burns a CPU while it waits"
                        + sleeper.map(s -> "; the fastest transport that sleeps while it waits was "
                        + Text.id(s.transport()) + " (" + Text.latency(s.p50Us()) + ", "
                        + Numbers.ratio(s.p50Us() / fastest.p50Us()) + " as long)").orElse("") + ".");
            }
            int largest = m.latencySizes.get(m.latencySizes.size() - 1);
            List<Measurements.Ranked> big = m.ranking(placement, largest);
            if (largest != size && big.size() >= 2) {
                List<String> smallOrder = ranked.stream().map(Measurements.Ranked::transport)
                        .filter(t -> big.stream().anyMatch(b -> b.transport().equals(t))).toList();
                List<String> bigOrder = big.stream().map(Measurements.Ranked::transport).toList();
                sentences.add("At " + Numbers.size(largest) + " the order " + (smallOrder.equals(bigOrder)
                        ? "stays the same" : "changes") + ": " + Text.join(big.stream()
                        .map(r -> Text.id(r.transport()) + " " + Text.latency(r.p50Us())).toList()) + ".");
            }
            md.paragraph(sentences.toArray(String[]::new));
        }
        List<String> more = new ArrayList<>();
        throughputSentence().ifPresent(more::add);
        setupSentence().ifPresent(more::add);
        md.paragraph(more.toArray(String[]::new));
    }

    /**
     * "On this machine a 64 B TCP round trip costs X µs, Y× a pipe's ...": the lab's socket (the first transport any
     * host can reach) against every other transport, then against those of its own API family.
     */
    private Optional<String> socketSentence(Placement placement, int size) {
        Optional<String> socket = m.descriptors.labSocket(m.transports);
        Double ref = socket.map(s -> m.p50Us(s, placement, size)).orElse(null);
        if (ref == null) {
            return Optional.empty();
        }
        String name = m.descriptors.name(socket.get());
        List<String> comparisons = new ArrayList<>();
        List<String> sameFamily = new ArrayList<>();
        for (String other : m.transports) {
            Double p50 = m.p50Us(other, placement, size);
            if (other.equals(socket.get()) || p50 == null || p50 <= 0) {
                continue;
            }
            // far below 1×, a ratio reads better the other way up: "1/1478 of Kafka's"
            comparisons.add((ref / p50 < 0.1 ? "1/" + Math.round(p50 / ref) + " of" : Numbers.ratio(ref / p50)) + " "
                    + m.descriptors.possessive(other) + " (" + Text.latency(p50) + ")");
            if (m.descriptors.sameFamily(socket.get(), other)) {
                sameFamily.add(Text.capital(one(other)) + " has the same " + m.descriptors.family(other)
                        + " API" + (m.descriptors.reachesOtherHosts(other) ? "" : " without leaving this host")
                        + " and took " + Numbers.ratio(p50 / ref) + " " + name + "'s time.");
            }
        }
        if (comparisons.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("On this machine, " + Text.where(placement) + ", a " + Numbers.size(size) + " " + name
                + " round trip costs " + Text.latency(ref) + ": " + Text.join(comparisons) + "."
                + (sameFamily.isEmpty() ? "" : " " + String.join(" ", sameFamily)));
    }

    private Optional<String> throughputSentence() {
        List<ThroughputResult> rows = m.throughputRows().stream().filter(r -> r.mibPerSecond() != null).toList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        ThroughputResult top = rows.stream()
                .max((a, b) -> Double.compare(Numbers.mibPerSecond(a.mibPerSecond()), Numbers.mibPerSecond(b.mibPerSecond())))
                .orElseThrow();
        double topRate = Numbers.mibPerSecond(top.mibPerSecond());
        String sentence = "Streaming, the most payload moved through " + Text.id(top.transport()) + ": "
                + Text.mibs(topRate) + " " + Text.where(top.placement()) + " in " + Numbers.size(top.messageBytes())
                + " writes";
        Optional<String> socket = m.descriptors.labSocket(m.transports);
        Optional<ThroughputResult> reference = rows.stream().filter(r -> socket.isPresent()
                && r.transport().equals(socket.get()) && r.placement() == top.placement()
                && r.messageBytes() == top.messageBytes()).findFirst();
        if (reference.isPresent() && !top.transport().equals(socket.get())) {
            double rate = Numbers.mibPerSecond(reference.get().mibPerSecond());
            sentence += ", " + Numbers.ratio(topRate / rate) + " " + m.descriptors.name(socket.get()) + "'s "
                    + Text.mibs(rate);
        }
        return Optional.of(sentence + ".");
    }

    private Optional<String> setupSentence() {
        List<SetupResult> rows = m.setupLikeForLike();
        if (rows.size() < 2) {
            return Optional.empty();
        }
        SetupResult cheapest = rows.get(0);
        SetupResult dearest = rows.get(rows.size() - 1);
        Optional<String> socket = m.descriptors.labSocket(m.transports);
        Optional<SetupResult> reference = rows.stream()
                .filter(r -> socket.isPresent() && r.transport().equals(socket.get())).findFirst();
        String sentence = "Setting up ranges from " + Text.ms(Numbers.millis(cheapest.p50())) + " ("
                + Text.id(cheapest.transport()) + ", " + Markdown.escape(cheapest.what()) + ") to "
                + Text.ms(Numbers.millis(dearest.p50())) + " (" + Text.id(dearest.transport()) + ", "
                + Markdown.escape(dearest.what()) + ")";
        if (reference.isPresent() && reference.get() != cheapest && reference.get() != dearest) {
            sentence += "; a " + m.descriptors.name(socket.get()) + " connection took "
                    + Text.ms(Numbers.millis(reference.get().p50()));
        }
        return Optional.of(sentence + ".");
    }

    /** "a UDP socket", from the descriptor's "a UDP socket's": the thing itself, for the subject of a sentence. */
    private String one(String transport) {
        String possessive = m.descriptors.possessive(transport);
        return possessive.endsWith("'s") ? possessive.substring(0, possessive.length() - 2) : "the " + m.descriptors.name(transport);
    }
}

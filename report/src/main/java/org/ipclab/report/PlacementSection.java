package org.ipclab.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.chart.Charts;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.Placement;

/**
 * Same CPU or different CPUs: how much the placement of client and server changed a round trip, why (waking an idle
 * CPU), and where the unpinned runs landed between the two.
 */
final class PlacementSection extends Section {

    /** Below this different-CPU ÷ same-CPU ratio the text says placement made little difference. */
    static final double LITTLE_DIFFERENCE_RATIO = 1.5;
    /** From this ratio on the text explains the cost of waking an idle CPU. */
    static final double WAKE_UP_RATIO = 3;
    /** The id other sections link to (GitHub gives the heading the same one; the HTML page needs it written). */
    static final String ANCHOR = "same-cpu-or-different-cpus";

    PlacementSection(Measurements m, Markdown md, ChartWriter charts) {
        super(m, md, charts);
    }

    @Override
    void render() throws IOException {
        md.anchor(ANCHOR).heading(3, "Same CPU or different CPUs");
        List<Integer> sizes = m.crossCpuSizes();
        if (sizes.isEmpty()) {
            md.paragraph("No transport was measured both on one CPU and on two different CPUs in this run, so the "
                    + "effect of placement is not shown.");
            unpinned();
            return;
        }
        int size = sizes.contains(m.referenceSize()) ? m.referenceSize() : sizes.get(0);
        List<Measurements.CrossCpu> cross = m.crossCpu(size);
        List<Placement> groups = m.latencyPlacements;
        List<String> transports = m.latencyTransports().stream()
                .filter(t -> groups.stream().anyMatch(p -> m.p50Us(t, p, size) != null)).toList();
        List<List<Double>> values = new ArrayList<>();
        for (Placement p : groups) {
            values.add(transports.stream().map(t -> m.p50Us(t, p, size)).toList());
        }
        int differentRow = groups.indexOf(Placement.DIFFERENT_CPUS);
        String link = charts.write("placement.svg", Charts.shadedGroups(m.palette, 
                "Same CPU or different CPUs: " + Numbers.size(size) + " round trip",
                "median (p50) · label: different CPUs ÷ same CPU", "round-trip time (µs, log scale)", transports,
                groups.stream().map(Placement::label).toList(), values,
                (g, t) -> {
                    if (g != differentRow) {
                        return null;
                    }
                    return cross.stream().filter(c -> c.transport().equals(transports.get(t))).findFirst()
                            .map(c -> Numbers.ratio(c.ratio())).orElse(null);
                }, true));
        md.image("Median round trip on the same CPU and on different CPUs, per transport", link);

        md.paragraph("How many times longer a median round trip took with client and server on different CPUs "
                + "than on the same CPU:");
        List<String> header = Cells.header("transport", sizes.stream().map(Numbers::size).toList());
        MarkdownTable ratios = new MarkdownTable(header).rightAlignFrom(1);
        for (String transport : m.latencyTransports()) {
            List<String> cells = new ArrayList<>();
            cells.add(Text.id(transport));
            boolean any = false;
            for (int s : sizes) {
                Optional<Measurements.CrossCpu> c = m.crossCpu(s).stream()
                        .filter(x -> x.transport().equals(transport)).findFirst();
                cells.add(c.map(x -> Numbers.ratio(x.ratio())).orElse("–"));
                any |= c.isPresent();
            }
            if (any) {
                ratios.row(cells);
            }
        }
        md.table(ratios);
        List<String> sentences = crossCpuSentences(size, cross);
        for (Placement missing : List.of(Placement.SAME_CPU, Placement.DIFFERENT_CPUS)) {
            Placement other = missing == Placement.SAME_CPU ? Placement.DIFFERENT_CPUS : Placement.SAME_CPU;
            List<String> only = m.latencyTransports().stream()
                    .filter(t -> m.p50Us(t, other, size) != null && m.p50Us(t, missing, size) == null)
                    .map(Text::id).toList();
            if (!only.isEmpty()) {
                sentences.add(Text.join(only) + (only.size() == 1 ? " was" : " were") + " not measured "
                        + Text.where(missing) + " at " + Numbers.size(size) + " (see the notes at the top), so "
                        + (only.size() == 1 ? "it has" : "they have") + " no ratio.");
            }
        }
        md.paragraph(sentences.toArray(String[]::new));
        unpinned();
    }

    private List<String> crossCpuSentences(int size, List<Measurements.CrossCpu> cross) {
        List<String> sentences = new ArrayList<>();
        List<Measurements.CrossCpu> blocking = cross.stream().filter(c -> !m.spins(c.transport())).toList();
        List<Measurements.CrossCpu> spinning = cross.stream().filter(c -> m.spins(c.transport())).toList();
        if (!blocking.isEmpty()) {
            double low = blocking.stream().mapToDouble(Measurements.CrossCpu::ratio).min().orElseThrow();
            double high = blocking.stream().mapToDouble(Measurements.CrossCpu::ratio).max().orElseThrow();
            String range = low == high ? Numbers.ratio(low) : Numbers.format(low) + "–" + Numbers.ratio(high);
            String detail = Text.join(blocking.stream().map(c -> Text.id(c.transport()) + " " + Text.latency(c.sameUs())
                    + " → " + Text.latency(c.differentUs())).toList());
            String who = m.spinners().isEmpty() ? "the transports" : "the transports that sleep while they wait";
            if (high < LITTLE_DIFFERENCE_RATIO) {
                sentences.add("At " + Numbers.size(size) + ", placement made little difference here: " + who
                        + " were " + range + " as slow on different CPUs as on one (" + detail + ").");
            } else {
                sentences.add("At " + Numbers.size(size) + ", " + who + " were " + range
                        + " slower with client and server on different CPUs (" + detail + ").");
            }
            if (high >= WAKE_UP_RATIO) {
                double perWake = Measurements.median(blocking.stream().map(Measurements.CrossCpu::extraPerWakeUs).toList());
                sentences.add("A round trip wakes the other side twice — the server for the request, the client for "
                        + "the reply — so the extra time is about " + Text.latency(perWake) + " per wake-up (median over "
                        + "these transports). That is the price of waking an idle CPU: a process blocked in read() "
                        + "leaves its CPU with nothing to do, the idle CPU halts, and the next message must wake it"
                        + idleFacts() + ". On a virtual machine a halted vCPU is woken through the hypervisor, which "
                        + "is what makes it this slow. On one CPU the wake-up is a context switch on a CPU that is "
                        + "already running.");
            }
        }
        for (Measurements.CrossCpu c : spinning) {
            sentences.add(Text.id(c.transport()) + " spins (see CPU time), so its waiting side never halts: "
                    + Text.latency(c.sameUs()) + " on one CPU, " + Text.latency(c.differentUs()) + " on two ("
                    + Numbers.ratio(c.ratio()) + ")" + (c.ratio() < 1 ? "; on one CPU the spinning side and its "
                    + "peer compete for the same CPU, so it is slower there" : "") + ".");
        }
        return sentences;
    }

    /** ", here cpuidle.driver = haltpoll and guest_halt_poll_ns = 0" from whatever idle facts the run recorded. */
    private String idleFacts() {
        List<String> facts = new ArrayList<>();
        if (m.results.environment() != null && m.results.environment().facts() != null) {
            m.results.environment().facts().forEach((name, value) -> {
                if (name.contains("cpuidle") || name.contains("halt_poll")) {
                    facts.add(Markdown.code(name) + " = " + Markdown.code(value));
                }
            });
        }
        return facts.isEmpty() ? "" : " (here " + Text.join(facts) + ")";
    }

    private void unpinned() {
        if (!m.latencyPlacements.contains(Placement.UNPINNED)) {
            return;
        }
        int size = m.referenceSize();
        MarkdownTable table = new MarkdownTable("transport", "same CPU p50", "different CPUs p50", "unpinned p50",
                "unpinned p99", "unpinned p50 is nearer").rightAlign(1, 2, 3, 4);
        List<String> nearSame = new ArrayList<>();
        List<String> nearDifferent = new ArrayList<>();
        List<String> mixed = new ArrayList<>();
        for (String transport : m.latencyTransports()) {
            Optional<LatencyResult> free = m.latency(transport, Placement.UNPINNED, size);
            if (free.isEmpty()) {
                continue;
            }
            Double same = m.p50Us(transport, Placement.SAME_CPU, size);
            Double different = m.p50Us(transport, Placement.DIFFERENT_CPUS, size);
            Double p50 = Measurements.micros(free.get().p50());
            Double p99 = Measurements.micros(free.get().p99());
            String nearer = nearer(p50, same, different);
            if (nearer.equals("same CPU")) {
                nearSame.add(Text.id(transport));
                if (nearer(p99, same, different).equals("different CPUs")) {
                    mixed.add(Text.id(transport));
                }
            } else if (nearer.equals("different CPUs")) {
                nearDifferent.add(Text.id(transport));
            }
            table.row(Text.id(transport), Cells.us(same), Cells.us(different), Cells.us(p50), Cells.us(p99), nearer);
        }
        if (table.isEmpty()) {
            return;
        }
        md.paragraph("Unpinned, at " + Numbers.size(size) + " (µs):");
        md.table(table);
        List<String> sentences = new ArrayList<>();
        if (!nearSame.isEmpty() || !nearDifferent.isEmpty()) {
            sentences.add("Left to the scheduler, " + (nearSame.isEmpty() ? "no transport"
                    : Text.join(nearSame)) + " landed nearer the same-CPU numbers and " + (nearDifferent.isEmpty()
                    ? "none" : Text.join(nearDifferent)) + " nearer the different-CPU numbers.");
        }
        if (!mixed.isEmpty()) {
            sentences.add("For " + Text.join(mixed) + " the median sits near the same-CPU number but p99 near the "
                    + "different-CPU one: the run mixed both regimes.");
        }
        sentences.add("An unpinned number is one draw from the scheduler, not a property of the transport: another "
                + "run can land in the other regime. Compare transports with the pinned numbers.");
        md.paragraph(sentences.toArray(String[]::new));
    }

    /** Which pinned median {@code value} is nearer to on a log scale; "–" without both. */
    private static String nearer(Double value, Double same, Double different) {
        if (value == null || same == null || different == null || value <= 0) {
            return "–";
        }
        double toSame = Math.abs(Math.log(value / same));
        double toDifferent = Math.abs(Math.log(value / different));
        return toSame <= toDifferent ? "same CPU" : "different CPUs";
    }
}

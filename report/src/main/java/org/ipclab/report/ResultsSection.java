package org.ipclab.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.chart.Charts;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.CpuResult;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.NativeResult;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;
import org.ipclab.report.model.Results.TransportStatus;

/** Results: the transports' status, then tables and charts of every measurement, each read out in a sentence or two. */
final class ResultsSection {

    /** Below this different-CPU ÷ same-CPU ratio the text says placement made little difference. */
    static final double LITTLE_DIFFERENCE_RATIO = 1.5;
    /** From this ratio on the text explains the cost of waking an idle CPU. */
    static final double WAKE_UP_RATIO = 3;

    /** Names the C floor may use for a transport the Java side calls differently. */
    private static final Map<String, String> NATIVE_ALIASES = Map.of("mq", "posix-mq", "posixmq", "posix-mq");

    private final Measurements m;
    private final Markdown md;
    private final ChartWriter charts;

    ResultsSection(Measurements m, Markdown md, ChartWriter charts) {
        this.m = m;
        this.md = md;
        this.charts = charts;
    }

    void render() throws IOException {
        md.heading(2, "Results");
        transports();
        latency();
        throughput();
        setup();
        cpu();
        placement();
        nativeFloor();
        targets();
    }

    /** The performance targets ipc-lab holds itself to (its issue 8), checked against this run. */
    static final double MAX_LATENCY_RATIO = 1.3;
    static final double MIN_STREAM_RATIO = 0.8;
    static final double MAX_SPIN_P50_US = 1.5;
    static final double MAX_JVM_CHILD_FIRST_ECHO_MS = 150;
    static final double MAX_P50_DRIFT = 0.10;
    static final Map<String, Double> TIME_BUDGET_S = Map.of("quick", 90.0, "default", 300.0);

    private void targets() {
        List<NativeResult> rows = m.nativeRows();
        MarkdownTable table = new MarkdownTable("target", "transport", "where", "measured", "goal", "met")
                .rightAlign(3, 4);
        List<String> missed = new ArrayList<>();
        for (String transport : List.of("tcp", "unix", "pipe", "fifo", "posix-mq")) {
            for (Placement placement : List.of(Placement.SAME_CPU, Placement.DIFFERENT_CPUS)) {
                for (int size : List.of(64, 1024)) {
                    Double java = m.p50Us(transport, placement, size);
                    Double c = nativeValue(rows, transport, placement, size, "rtt_p50");
                    if (java == null || c == null || c <= 0) {
                        continue;
                    }
                    double ratio = java / c;
                    boolean met = ratio <= MAX_LATENCY_RATIO;
                    String where = Numbers.size(size) + ", " + placement.label();
                    table.row("round trip p50, Java ÷ C", Text.id(transport), where, Numbers.ratio(ratio),
                            "≤ " + Numbers.ratio(MAX_LATENCY_RATIO), met ? "yes" : "**no**");
                    if (!met) {
                        missed.add(Text.id(transport) + " round trip at " + where + ": " + Numbers.ratio(ratio)
                                + " of C (goal ≤ " + Numbers.ratio(MAX_LATENCY_RATIO) + ")");
                    }
                }
            }
        }
        Double spin = m.p50Us("chronicle", Placement.DIFFERENT_CPUS, 64);
        if (spin != null) {
            boolean met = spin <= MAX_SPIN_P50_US;
            table.row("round trip p50 with a busy-spin pauser", Text.id("chronicle"), "64 B, different CPUs",
                    Text.us(spin), "≤ " + Text.us(MAX_SPIN_P50_US), met ? "yes" : "**no**");
            if (!met) {
                missed.add(Text.id("chronicle") + " 64 B round trip on different CPUs: " + Text.us(spin)
                        + " (goal ≤ " + Text.us(MAX_SPIN_P50_US) + ")");
            }
        }
        for (String transport : List.of("tcp", "unix", "pipe", "fifo")) {
            for (ThroughputResult t : m.throughputRows()) {
                if (!t.transport().equals(transport) || t.mibPerSecond() == null) {
                    continue;
                }
                Double c = nativeValue(rows, transport, t.placement(), t.messageBytes(), "stream_mib_s");
                if (c == null || c <= 0) {
                    continue;
                }
                double ratio = Numbers.mibPerSecond(t.mibPerSecond()) / c;
                boolean met = ratio >= MIN_STREAM_RATIO;
                String where = Numbers.size(t.messageBytes()) + " writes, " + t.placement().label();
                table.row("streaming, Java ÷ C", Text.id(transport), where, Numbers.ratio(ratio),
                        "≥ " + Numbers.ratio(MIN_STREAM_RATIO), met ? "yes" : "**no**");
                if (!met) {
                    missed.add(Text.id(transport) + " streaming in " + where + ": " + Numbers.ratio(ratio)
                            + " of C (goal ≥ " + Numbers.ratio(MIN_STREAM_RATIO) + ")");
                }
            }
        }
        for (SetupResult setup : m.setupRows()) {
            if (setup.transport().equals("pipe") && setup.what().contains("JVM") && setup.p50() != null) {
                double ms = Numbers.millis(setup.p50());
                String cat = m.setupRows().stream().filter(x -> x.transport().equals("pipe") && x.what().contains("cat")
                        && x.p50() != null).findFirst().map(x -> " (`cat`: " + Numbers.format(Numbers.millis(x.p50())) + " ms)")
                        .orElse("");
                boolean met = ms <= MAX_JVM_CHILD_FIRST_ECHO_MS;
                table.row("time to first echo of the JVM pipe child", Text.id("pipe"), "spawn + first echo",
                        Numbers.format(ms) + " ms" + cat, "≤ " + Numbers.format(MAX_JVM_CHILD_FIRST_ECHO_MS) + " ms",
                        met ? "yes" : "**no**");
                if (!met) {
                    missed.add("the JVM pipe child's first echo: " + Numbers.format(ms) + " ms (goal ≤ "
                            + Numbers.format(MAX_JVM_CHILD_FIRST_ECHO_MS) + " ms)");
                }
            }
        }
        org.ipclab.report.model.Results.RunInfo run = m.results.run();
        Double budget = run == null ? null : TIME_BUDGET_S.get(run.mode());
        if (budget != null) {
            boolean met = run.durationS() <= budget;
            table.row("time budget of `compare`", "–", run.mode() + " mode", Numbers.format(run.durationS()) + " s",
                    "≤ " + Numbers.format(budget) + " s", met ? "yes" : "**no**");
            if (!met) {
                missed.add("the run's time: " + Numbers.format(run.durationS()) + " s");
            }
        }
        String steadiness = steadiness(table, missed);
        if (table.isEmpty()) {
            return;
        }
        md.heading(3, "Performance targets");
        md.paragraph("The goals ipc-lab sets for itself: each Java transport within " + Numbers.ratio(MAX_LATENCY_RATIO)
                + " of the C floor's median round trip at 64 B and 1 KiB, streaming at " + Numbers.ratio(MIN_STREAM_RATIO)
                + " of C or better, a spinning Chronicle round trip under " + Text.us(MAX_SPIN_P50_US)
                + ", a JVM pipe child answering within " + Numbers.format(MAX_JVM_CHILD_FIRST_ECHO_MS)
                + " ms, the run within its time budget, and two runs agreeing within "
                + Numbers.percent(MAX_P50_DRIFT) + " on every same-CPU median. Checked against this run" + steadiness + ":");
        md.table(table);
        md.paragraph(missed.isEmpty() ? "Every target that this run measured was met."
                : "Missed in this run: " + String.join("; ", missed) + ".");
    }

    /**
     * The steadiness target: this run's same-CPU medians against those of the run that wrote results.json into
     * the same directory before it. Adds a row when there is one; returns the clause that says which run
     * it was, or how to get one.
     */
    private String steadiness(MarkdownTable table, List<String> missed) {
        Results.PreviousRun previous = m.results.previous();
        if (previous == null || previous.latency() == null) {
            return " (steadiness needs a second run: run the same `compare` again with the same `--out`, and its"
                    + " report sets the two side by side)";
        }
        double worst = -1;
        String worstWhere = "";
        int compared = 0;
        for (LatencyResult before : previous.latency()) {
            if (before.placement() != Placement.SAME_CPU || before.p50() == null) {
                continue;
            }
            Double now = m.p50Us(before.transport(), Placement.SAME_CPU, before.sizeBytes());
            double then = Numbers.micros(before.p50());
            if (now == null || then <= 0) {
                continue;
            }
            compared++;
            double drift = Math.abs(now - then) / then;
            if (drift > worst) {
                worst = drift;
                worstWhere = Text.id(before.transport()) + " at " + Numbers.size(before.sizeBytes()) + ": "
                        + Text.us(then) + " → " + Text.us(now);
            }
        }
        String which = " (steadiness against the previous run in this directory, started " + when(previous.startedAt())
                + " in " + previous.mode() + " mode";
        if (compared == 0) {
            return which + "; it has no same-CPU medians to compare)";
        }
        boolean met = worst <= MAX_P50_DRIFT;
        table.row("steadiness: same-CPU p50 against the previous run", "all (" + compared + " medians)",
                "worst: " + worstWhere, Numbers.percent(worst), "≤ " + Numbers.percent(MAX_P50_DRIFT),
                met ? "yes" : "**no**");
        if (!met) {
            missed.add("steadiness: " + worstWhere + " moved " + Numbers.percent(worst) + " between two runs (goal ≤ "
                    + Numbers.percent(MAX_P50_DRIFT) + ")");
        }
        return which + ")";
    }

    /** "2026-11-25 04:29 UTC" from an ISO instant; the text as it is when it is not one. */
    private static String when(String isoInstant) {
        try {
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", java.util.Locale.ROOT)
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.parse(isoInstant));
        } catch (RuntimeException e) {
            return String.valueOf(isoInstant);
        }
    }

    private static Double nativeValue(List<NativeResult> rows, String transport, Placement placement, int size,
                                      String metric) {
        for (NativeResult n : rows) {
            String t = NATIVE_ALIASES.getOrDefault(n.transport(), n.transport());
            if (t.equals(transport) && n.placement() == placement && n.sizeBytes() == size
                    && metric.equalsIgnoreCase(n.metric()) && n.value() != null) {
                return metric.startsWith("rtt") ? Numbers.micros(n.value()) : Numbers.mibPerSecond(n.value());
            }
        }
        return null;
    }

    private void transports() {
        md.heading(3, "Transports");
        MarkdownTable table = new MarkdownTable("transport", "mechanism", "status", "reason");
        for (String transport : m.transports) {
            Optional<TransportStatus> status = m.status(transport);
            table.row(Text.id(transport), status.map(TransportStatus::summary).orElse(""),
                    status.map(TransportStatus::status).orElse("not listed"),
                    status.map(TransportStatus::reason).orElse(""));
        }
        md.table(table);
        List<String> sentences = new ArrayList<>();
        List<TransportStatus> measured = m.statuses("measured");
        sentences.add(Text.capital(Text.plural(measured.size(), "transport")) + " measured"
                + (measured.isEmpty() ? "." : ": " + Text.join(measured.stream().map(t -> Text.id(t.id())).toList())
                + "."));
        for (String which : List.of("skipped", "failed")) {
            List<TransportStatus> rows = m.statuses(which);
            if (!rows.isEmpty()) {
                sentences.add(Text.capital(which) + ": " + Text.join(rows.stream().map(t -> Text.id(t.id()) + " ("
                        + (t.reason() == null || t.reason().isBlank() ? "no reason recorded" : Markdown.escape(t.reason()))
                        + ")").toList()) + ".");
            }
        }
        md.paragraph(sentences.toArray(String[]::new));
    }

    private void latency() throws IOException {
        md.heading(3, "Round-trip latency");
        if (m.latencyRows().isEmpty()) {
            md.paragraph("Latency was not measured in this run.");
            return;
        }
        md.paragraph("Median (p50) time of one round trip in µs: the client sends n bytes and reads the n bytes back. "
                + "Lower is better. The charts have a logarithmic time axis — each labelled line is ten times the one "
                + "below — with the median as a solid line and the 99th percentile (p99) dashed.");
        List<String> sizes = m.latencySizes.stream().map(Numbers::size).toList();
        for (Placement placement : m.latencyPlacements) {
            md.heading(4, Text.title(placement));
            if (placement == Placement.UNPINNED) {
                md.paragraph("Not one truth: unpinned, each run lands wherever the scheduler put the two processes, "
                        + "between the same-CPU and the different-CPU numbers, and may mix both. See "
                        + "[Same CPU or different CPUs](#same-cpu-or-different-cpus).");
            }
            List<Charts.Line> lines = new ArrayList<>();
            MarkdownTable table = new MarkdownTable(header("transport", sizes)).rightAlignFrom(1);
            for (String transport : m.latencyTransports()) {
                List<Double> p50 = new ArrayList<>();
                List<Double> p99 = new ArrayList<>();
                List<String> cells = new ArrayList<>();
                cells.add(Text.id(transport));
                boolean any = false;
                for (int size : m.latencySizes) {
                    Optional<LatencyResult> row = m.latency(transport, placement, size);
                    p50.add(row.map(r -> Measurements.micros(r.p50())).orElse(null));
                    p99.add(row.map(r -> Measurements.micros(r.p99())).orElse(null));
                    cells.add(row.map(r -> format(r.p50())).orElse("–"));
                    any |= row.isPresent();
                }
                if (any) {
                    lines.add(new Charts.Line(transport, transport, p50, false, true));
                    lines.add(new Charts.Line(transport, transport + " p99", p99, true, false));
                    table.row(cells);
                }
            }
            String file = "latency-" + Text.slug(placement) + ".svg";
            String link = charts.write(file, Charts.lines("Round-trip latency, " + Text.where(placement),
                    "solid: median (p50) · dashed: p99 · lower is better", "message size",
                    "round-trip time (µs, log scale)", sizes, lines, true));
            md.image("Round-trip latency " + Text.where(placement) + " by message size, per transport", link);
            md.paragraph("Median round trip, µs, " + Text.where(placement) + ":");
            md.table(table);
        }
        md.details("All latency percentiles (µs), samples and verified echoes", () -> {
            MarkdownTable all = new MarkdownTable("transport", "placement", "size", "samples", "verified", "p50",
                    "p90", "p99", "p99.9", "max").rightAlignFrom(3);
            List<LatencyResult> rows = new ArrayList<>(m.latencyRows());
            rows.sort(Comparator.comparing(LatencyResult::placement)
                    .thenComparingInt((LatencyResult r) -> m.transports.indexOf(r.transport()))
                    .thenComparingInt(LatencyResult::sizeBytes));
            for (LatencyResult r : rows) {
                all.row(Text.id(r.transport()), r.placement().label(), Numbers.size(r.sizeBytes()),
                        Numbers.count(r.samples()), Numbers.count(r.verified()), format(r.p50()), format(r.p90()),
                        format(r.p99()), format(r.p999()), format(r.max()));
            }
            md.table(all);
        });
    }

    private void throughput() throws IOException {
        md.heading(3, "Streaming throughput");
        List<ThroughputResult> rows = m.throughputSorted();
        if (rows.isEmpty()) {
            md.paragraph("Throughput was not measured in this run.");
            return;
        }
        md.paragraph("MiB/s of payload echoed back while the client streams writes of one size. Higher is better.");
        boolean severalSizes = rows.stream().map(ThroughputResult::messageBytes).distinct().count() > 1;
        Map<String, List<ThroughputResult>> byCategory = new LinkedHashMap<>();
        rows.stream().sorted(Comparator.comparing(ThroughputResult::placement)
                        .thenComparingInt(ThroughputResult::messageBytes))
                .forEach(r -> byCategory.computeIfAbsent(r.placement().label()
                        + (severalSizes ? ", " + Numbers.size(r.messageBytes()) + " writes" : ""),
                        k -> new ArrayList<>()).add(r));
        List<String> categories = List.copyOf(byCategory.keySet());
        List<Charts.Bars> bars = new ArrayList<>();
        for (String transport : m.transports) {
            List<Double> values = new ArrayList<>();
            boolean any = false;
            for (String category : categories) {
                Optional<ThroughputResult> row = byCategory.get(category).stream()
                        .filter(r -> r.transport().equals(transport)).findFirst();
                values.add(row.map(r -> Numbers.mibPerSecond(r.mibPerSecond())).orElse(null));
                any |= row.isPresent();
            }
            if (any) {
                bars.add(new Charts.Bars(transport, values));
            }
        }
        String subtitle = severalSizes ? "higher is better"
                : Numbers.size(rows.get(0).messageBytes()) + " writes · higher is better";
        String link = charts.write("throughput.svg", Charts.groupedBars("Streaming echo throughput", subtitle,
                "placement", "echoed payload (MiB/s)", categories, bars, false));
        md.image("Streaming throughput per transport and placement", link);
        MarkdownTable table = new MarkdownTable("transport", "placement", "write size", "bytes per operation",
                "MiB/s", "bytes verified").rightAlignFrom(2);
        for (ThroughputResult r : rows) {
            table.row(Text.id(r.transport()), r.placement().label(), Numbers.size(r.messageBytes()),
                    Numbers.count(r.streamBytes()), r.mibPerSecond() == null ? "–"
                            : Numbers.format(Numbers.mibPerSecond(r.mibPerSecond())), Numbers.count(r.verifiedBytes()));
        }
        md.table(table);
        List<String> sentences = new ArrayList<>();
        for (String category : categories) {
            List<ThroughputResult> ranked = byCategory.get(category).stream().filter(r -> r.mibPerSecond() != null)
                    .sorted(Comparator.comparingDouble((ThroughputResult r) -> -Numbers.mibPerSecond(r.mibPerSecond())))
                    .toList();
            if (ranked.size() >= 2) {
                ThroughputResult top = ranked.get(0);
                ThroughputResult last = ranked.get(ranked.size() - 1);
                double topRate = Numbers.mibPerSecond(top.mibPerSecond());
                double lastRate = Numbers.mibPerSecond(last.mibPerSecond());
                sentences.add(Text.capital(category) + ": " + Text.id(top.transport()) + " moved the most ("
                        + Text.mibs(topRate) + "), " + Numbers.ratio(topRate / lastRate) + " as much as "
                        + Text.id(last.transport()) + " (" + Text.mibs(lastRate) + ").");
            }
        }
        md.paragraph(sentences.toArray(String[]::new));
    }

    private void setup() throws IOException {
        md.heading(3, "Set-up cost");
        List<SetupResult> rows = m.setupSorted();
        if (rows.isEmpty()) {
            md.paragraph("Set-up cost was not measured in this run.");
            return;
        }
        md.paragraph("Time from nothing to the first echo, in ms (median and fastest of the samples); the chart's "
                + "axis is logarithmic because set-up costs differ by orders of magnitude.");
        List<Charts.Bar> bars = m.setupPositive().stream().map(r -> new Charts.Bar(r.transport(),
                r.transport() + ": " + (r.what() == null ? "" : r.what().replace("`", "")),
                Numbers.millis(r.p50()))).toList();
        String link = bars.isEmpty() ? null : charts.write("setup.svg", Charts.horizontalBars("Set-up cost: nothing to first echo",
                        "median of the samples · lower is better", "time (ms, log scale)", bars,
                        v -> Text.ms(v), true),
                org.ipclab.report.chart.ChartStyle.WIDTH, Math.max(300, 120 + 42 * bars.size()));
        if (link != null) {
            md.image("Set-up cost per transport", link);
        }
        MarkdownTable table = new MarkdownTable("transport", "what is timed", "p50 (ms)", "min (ms)", "samples")
                .rightAlignFrom(2);
        for (SetupResult r : rows) {
            table.row(Text.id(r.transport()), r.what(), Numbers.format(Numbers.millis(r.p50())),
                    r.min() == null ? "–" : Numbers.format(Numbers.millis(r.min())), Numbers.count(r.samples()));
        }
        md.table(table);
        List<SetupResult> positive = m.setupPositive();
        List<String> sentences = new ArrayList<>();
        if (positive.size() >= 2) {
            SetupResult cheapest = positive.get(0);
            SetupResult dearest = positive.get(positive.size() - 1);
            double low = Numbers.millis(cheapest.p50());
            double high = Numbers.millis(dearest.p50());
            sentences.add("The cheapest set-up was " + Text.id(cheapest.transport()) + " ("
                    + Markdown.escape(cheapest.what()) + ", " + Text.ms(low) + "), the dearest "
                    + Text.id(dearest.transport()) + " (" + Markdown.escape(dearest.what()) + ", " + Text.ms(high)
                    + "): " + Numbers.ratio(high / low) + " as long.");
        }
        List<String> zero = rows.stream().filter(r -> Numbers.millis(r.p50()) <= 0)
                .map(r -> Text.id(r.transport()) + " (" + Markdown.escape(r.what()) + ")").toList();
        if (!zero.isEmpty()) {
            sentences.add("The median of " + Text.join(zero) + " was below the precision results.json records "
                    + "(it reads 0 ms), so it is left out of the chart and of the comparisons.");
        }
        md.paragraph(sentences.toArray(String[]::new));
    }

    private void cpu() throws IOException {
        md.heading(3, "CPU time per round trip");
        List<CpuResult> rows = m.cpuSorted();
        if (rows.isEmpty()) {
            md.paragraph("CPU time was not measured in this run.");
            return;
        }
        md.paragraph("CPU time (user + system) the client and the server used per round trip, beside the wall time "
                + "of a round trip. The charts show it as a share of the wall time: a side whose CPU time is close "
                + "to the wall time (100 %) never slept while it waited — it spun; a bar above the 100 % line kept "
                + "more than one CPU busy.");
        List<Placement> placements = rows.stream().map(CpuResult::placement).distinct().sorted().toList();
        for (Placement placement : placements) {
            List<CpuResult> here = rows.stream().filter(r -> r.placement() == placement).toList();
            boolean severalSizes = here.stream().map(CpuResult::sizeBytes).distinct().count() > 1;
            List<Charts.CpuBar> bars = new ArrayList<>();
            for (CpuResult r : here) {
                if (r.clientPerRoundTrip() == null || r.serverPerRoundTrip() == null || r.wallPerRoundTrip() == null) {
                    continue;
                }
                bars.add(new Charts.CpuBar(r.transport(), r.transport()
                        + (severalSizes ? " " + Numbers.size(r.sizeBytes()) : ""),
                        Numbers.micros(r.clientPerRoundTrip()), Numbers.micros(r.serverPerRoundTrip()),
                        Numbers.micros(r.wallPerRoundTrip())));
            }
            if (bars.isEmpty()) {
                continue;
            }
            String subtitle = (severalSizes ? "" : Numbers.size(here.get(0).sizeBytes()) + " messages · ")
                    + "near 0: sleeps while waiting · near 100 % per side: spins";
            String link = charts.write("cpu-" + Text.slug(placement) + ".svg", Charts.cpuShares(
                    "CPU used per round trip, " + Text.where(placement), subtitle, bars));
            md.image("CPU time per round trip " + Text.where(placement) + ", client and server", link);
        }
        MarkdownTable table = new MarkdownTable("transport", "placement", "size", "client CPU (µs)",
                "server CPU (µs)", "wall (µs)", "client CPU ÷ wall", "server CPU ÷ wall").rightAlignFrom(2);
        for (CpuResult r : rows) {
            Double wall = Measurements.micros(r.wallPerRoundTrip());
            Double client = Measurements.micros(r.clientPerRoundTrip());
            Double server = Measurements.micros(r.serverPerRoundTrip());
            table.row(Text.id(r.transport()), r.placement().label(), Numbers.size(r.sizeBytes()), format(client),
                    format(server), format(wall), share(client, wall), share(server, wall));
        }
        md.table(table);
        md.paragraph(spinSentences().toArray(String[]::new));
    }

    /** Says which transports spin, with the numbers that show it, next to a transport that sleeps. */
    private List<String> spinSentences() {
        List<Measurements.Spin> spins = m.spinners();
        List<String> sentences = new ArrayList<>();
        if (spins.isEmpty()) {
            sentences.add("No side of any transport used " + Numbers.percent(Measurements.SPIN_CPU_SHARE)
                    + " or more of the wall time: none of them spun while waiting.");
            return sentences;
        }
        for (Measurements.Spin spin : spins) {
            CpuResult r = spin.row();
            double wall = Numbers.micros(r.wallPerRoundTrip());
            double client = Numbers.micros(r.clientPerRoundTrip());
            double server = Numbers.micros(r.serverPerRoundTrip());
            sentences.add(Text.id(spin.transport()) + " spins: at " + Numbers.size(r.sizeBytes()) + " "
                    + Text.where(r.placement()) + " its client used " + Text.us(client) + " and its server "
                    + Text.us(server) + " of CPU per " + Text.us(wall) + " round trip (" + Numbers.percent(client / wall)
                    + " and " + Numbers.percent(server / wall) + " of the wall time). It is fast because the waiting "
                    + "side never sleeps, so it never pays for a wake-up; the price is a CPU kept busy by every "
                    + "waiting process, even when no message comes.");
            m.cpuRows().stream()
                    .filter(o -> o.placement() == r.placement() && o.sizeBytes() == r.sizeBytes()
                            && !m.spins(o.transport()) && o.wallPerRoundTrip() != null
                            && o.clientPerRoundTrip() != null && o.serverPerRoundTrip() != null)
                    .findFirst()
                    .ifPresent(o -> {
                        double oWall = Numbers.micros(o.wallPerRoundTrip());
                        sentences.add("For comparison, " + Text.id(o.transport()) + "'s client and server used "
                                + Numbers.percent(Numbers.micros(o.clientPerRoundTrip()) / oWall) + " and "
                                + Numbers.percent(Numbers.micros(o.serverPerRoundTrip()) / oWall) + " of its "
                                + Text.us(oWall) + " round trip: it sleeps while it waits.");
                    });
        }
        return sentences;
    }

    private void placement() throws IOException {
        md.heading(3, "Same CPU or different CPUs");
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
        String link = charts.write("placement.svg", Charts.shadedGroups(
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
        List<String> header = header("transport", sizes.stream().map(Numbers::size).toList());
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
            String detail = Text.join(blocking.stream().map(c -> Text.id(c.transport()) + " " + Text.us(c.sameUs())
                    + " → " + Text.us(c.differentUs())).toList());
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
                        + "the reply — so the extra time is about " + Text.us(perWake) + " per wake-up (median over "
                        + "these transports). That is the price of waking an idle CPU: a process blocked in read() "
                        + "leaves its CPU with nothing to do, the idle CPU halts, and the next message must wake it"
                        + idleFacts() + ". On a virtual machine a halted vCPU is woken through the hypervisor, which "
                        + "is what makes it this slow. On one CPU the wake-up is a context switch on a CPU that is "
                        + "already running.");
            }
        }
        for (Measurements.CrossCpu c : spinning) {
            sentences.add(Text.id(c.transport()) + " spins (see CPU time), so its waiting side never halts: "
                    + Text.us(c.sameUs()) + " on one CPU, " + Text.us(c.differentUs()) + " on two ("
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
            table.row(Text.id(transport), format(same), format(different), format(p50), format(p99), nearer);
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

    private void nativeFloor() {
        List<NativeResult> rows = m.nativeRows();
        if (rows.isEmpty()) {
            return;
        }
        md.heading(3, "Java ÷ native (C) floor");
        md.paragraph("The same echo written in C, measured in the same session under the same placement, is the "
                + "floor: what the operating system costs with no JVM in the way. A ratio of 1 means Java adds "
                + "nothing.");
        MarkdownTable latency = new MarkdownTable("transport", "placement", "size", "metric", "Java (µs)", "C (µs)",
                "Java ÷ C").rightAlign(2, 4, 5, 6);
        MarkdownTable throughput = new MarkdownTable("transport", "placement", "write size", "Java (MiB/s)",
                "C (MiB/s)", "Java ÷ C").rightAlignFrom(2);
        MarkdownTable other = new MarkdownTable("transport", "placement", "size", "metric", "C value")
                .rightAlign(2, 4);
        List<Double> latencyRatios = new ArrayList<>();
        for (NativeResult n : rows) {
            String transport = NATIVE_ALIASES.getOrDefault(n.transport(), n.transport());
            String metric = n.metric() == null ? "" : n.metric().toLowerCase(java.util.Locale.ROOT);
            String percentile = metric.contains("p50") ? "p50" : metric.contains("p90") ? "p90"
                    : metric.contains("p99") && !metric.contains("p999") ? "p99" : null;
            Optional<LatencyResult> java = m.latency(transport, n.placement(), n.sizeBytes());
            if (percentile != null && java.isPresent() && isTime(n.value())) {
                Double javaUs = Measurements.micros(switch (percentile) {
                    case "p50" -> java.get().p50();
                    case "p90" -> java.get().p90();
                    default -> java.get().p99();
                });
                double nativeUs = Numbers.micros(n.value());
                if (javaUs != null && nativeUs > 0) {
                    latency.row(Text.id(transport), n.placement().label(), Numbers.size(n.sizeBytes()), percentile,
                            Numbers.format(javaUs), Numbers.format(nativeUs), Numbers.ratio(javaUs / nativeUs));
                    if (percentile.equals("p50")) {
                        latencyRatios.add(javaUs / nativeUs);
                    }
                    continue;
                }
            }
            Optional<ThroughputResult> stream = m.throughputRows().stream()
                    .filter(t -> t.transport().equals(transport) && t.placement() == n.placement()
                            && t.messageBytes() == n.sizeBytes() && t.mibPerSecond() != null).findFirst();
            if (isRate(n.value()) && stream.isPresent()) {
                double javaRate = Numbers.mibPerSecond(stream.get().mibPerSecond());
                double nativeRate = Numbers.mibPerSecond(n.value());
                throughput.row(Text.id(transport), n.placement().label(), Numbers.size(n.sizeBytes()),
                        Numbers.format(javaRate), Numbers.format(nativeRate), Numbers.ratio(javaRate / nativeRate));
                continue;
            }
            other.row(Markdown.code(n.transport()), n.placement().label(), Numbers.size(n.sizeBytes()),
                    Markdown.code(n.metric()), n.value() == null ? "–"
                            : Numbers.format(n.value().value()) + " " + n.value().unit());
        }
        if (!latency.isEmpty()) {
            md.paragraph("Round trips (Java ÷ C above 1: Java takes longer):");
            md.table(latency);
            if (latencyRatios.size() >= 2) {
                md.paragraph("Across these medians Java ÷ C ranged from "
                        + Numbers.ratio(latencyRatios.stream().min(Double::compare).orElseThrow()) + " to "
                        + Numbers.ratio(latencyRatios.stream().max(Double::compare).orElseThrow()) + " (median "
                        + Numbers.ratio(Measurements.median(latencyRatios)) + ").");
            }
        }
        if (!throughput.isEmpty()) {
            md.paragraph("Streaming (Java ÷ C below 1: Java moves less):");
            md.table(throughput);
        }
        if (!other.isEmpty()) {
            md.paragraph("C measurements with no Java counterpart in this run:");
            md.table(other);
        }
    }

    private static boolean isTime(Quantity q) {
        try {
            return q != null && Numbers.micros(q) >= 0;
        } catch (IllegalArgumentException ignored) {
            // not a time unit: this C row is no latency and is listed with the other C rows instead
            return false;
        }
    }

    private static boolean isRate(Quantity q) {
        try {
            return q != null && Numbers.mibPerSecond(q) >= 0;
        } catch (IllegalArgumentException ignored) {
            // not a rate unit: this C row is no throughput and is listed with the other C rows instead
            return false;
        }
    }

    private static List<String> header(String first, List<String> rest) {
        List<String> header = new ArrayList<>();
        header.add(first);
        header.addAll(rest);
        return header;
    }

    static String format(Quantity q) {
        return q == null ? "–" : Numbers.format(Numbers.micros(q));
    }

    static String format(Double micros) {
        return micros == null ? "–" : Numbers.format(micros);
    }

    private static String share(Double part, Double whole) {
        return part == null || whole == null || whole <= 0 ? "–" : Numbers.percent(part / whole);
    }
}

package org.ipclab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.RunInfo;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;

/**
 * Performance targets: the goals ipc-lab sets for itself (its issue 8), each judged against this run's own numbers.
 * Which transport a goal applies to comes from what the run recorded: a round trip is held against the C floor
 * wherever both were measured, streaming where the transport is a byte stream, the spin goal where the transport's
 * benchmark settings spin, the start-up goal where a set-up starts a JVM.
 */
final class TargetsSection extends Section {

    static final double MAX_LATENCY_RATIO = 1.10;
    static final double MAX_P99_RATIO = 1.30;
    static final double MIN_STREAM_RATIO = 0.90;
    static final double MAX_SPIN_P50_US = 1.0;
    static final double MAX_JVM_CHILD_FIRST_ECHO_MS = 150;
    /** "Still serving a new client at once": its connect and first echo beside the idle connections. */
    static final double MAX_NEW_CLIENT_MS = 100;
    /**
     * What a run may take on 2 cores: it grows with the transports measured (each is 4 sizes x 2 placements of
     * JMH plus its C floor); 10 minutes for the default run of a dozen transports (each target point in three rounds, the server-design sweep up to 1,000 clients), 150 s for --quick.
     */
    static final Map<String, Double> TIME_BUDGET_S = Map.of("quick", 150.0, "default", 600.0);

    /** The sizes and placement of the round-trip and spin goals. */
    private static final List<Integer> ROUND_TRIP_SIZES = List.of(64, 1024);
    private static final int SPIN_SIZE = 64;

    private final MarkdownTable table = new MarkdownTable("target", "transport", "where", "measured", "goal", "met")
            .rightAlign(3, 4);
    private final List<String> missed = new ArrayList<>();
    private final List<String> notAFloor = new ArrayList<>();

    /**
     * Java beating its C floor by more than this much means the C program does different work (another buffer
     * size, fewer copies, another framing): it is no floor there, so the goal gets no verdict.
     */
    static final double FLOOR_BEATEN_BY = 1.10;
    static final String NO_VERDICT = "no verdict: C does different work";
    /** The rounds of one point disagree about its goal: some met it, some did not. */
    static final String UNSTEADY = "unsteady";

    TargetsSection(Measurements m, Markdown md, ChartWriter charts) {
        super(m, md, charts);
    }

    @Override
    void render() {
        roundTrips();
        spinning();
        streaming();
        jvmStart();
        serverMemory();
        timeBudget();
        String steadiness = new Steadiness(m).judge(table, missed);
        if (table.isEmpty()) {
            return;
        }
        md.heading(3, "Performance targets");
        md.paragraph("The goals ipc-lab sets for itself: each Java transport within " + Numbers.ratio(MAX_LATENCY_RATIO)
                + " of the C floor's median round trip at 64 B and 1 KiB (and " + Numbers.ratio(MAX_P99_RATIO)
                + " of its 99th percentile), streaming at " + Numbers.ratio(MIN_STREAM_RATIO)
                + " of C or better, a busy-spinning round trip under " + Text.us(MAX_SPIN_P50_US)
                + ", a JVM echo child answering within " + Numbers.format(MAX_JVM_CHILD_FIRST_ECHO_MS)
                + " ms, the TCP server within 100 MiB with 1,000 idle connections (200 MiB with 10,000) and still "
                + "echoing a new client within " + Numbers.format(MAX_NEW_CLIENT_MS) + " ms,"
                + " the run within its time budget, and two runs agreeing within "
                + Numbers.percent(Steadiness.MAX_P50_DRIFT) + " on every same-CPU median.", roundsSentence(),
                "Checked against this run" + steadiness + ":");
        md.table(table);
        md.paragraph(missed.isEmpty() ? "Every target that this run could judge was met."
                : "Missed in this run: " + String.join("; ", missed) + ".",
                notAFloor.isEmpty() ? "" : "Not judged: " + String.join("; ", notAFloor) + ". Java beat the C "
                        + "program there by more than " + Numbers.percent(FLOOR_BEATEN_BY - 1) + ", so the C program "
                        + "does different work (another buffer size, fewer copies or another framing) and is no "
                        + "floor for that comparison.");
    }

    private void roundTrips() {
        for (String transport : m.transports) {
            for (Placement placement : List.of(Placement.SAME_CPU, Placement.DIFFERENT_CPUS)) {
                for (int size : ROUND_TRIP_SIZES) {
                    List<double[]> rounds = rounds(transport, placement, size);
                    if (rounds.isEmpty()) {
                        continue;
                    }
                    String where = Numbers.size(size) + ", " + placement.label();
                    List<Double> p50 = rounds.stream().filter(r -> r[0] > 0 && r[1] > 0).map(r -> r[0] / r[1]).toList();
                    if (!p50.isEmpty() && median(p50) < 1 / FLOOR_BEATEN_BY) {
                        noFloor("round trip p50, Java ÷ C", Text.id(transport), where, measured(p50),
                                "≤ " + Numbers.ratio(MAX_LATENCY_RATIO));
                        continue;
                    }
                    judgeRounds(p50, MAX_LATENCY_RATIO, "round trip p50, Java ÷ C", transport, where,
                            Text.id(transport) + " round trip at " + where);
                    // the tail: two JVMs' JIT, GC and safepoints show here first, so its goal is looser
                    List<Double> p99 = rounds.stream().filter(r -> r[2] > 0 && r[3] > 0).map(r -> r[2] / r[3]).toList();
                    judgeRounds(p99, MAX_P99_RATIO, "round trip p99, Java ÷ C", transport, where,
                            Text.id(transport) + " p99 at " + where);
                }
            }
        }
    }

    /**
     * Each round of one point as {Java p50, C p50, Java p99, C p99} in µs (0 where missing): the run's repeated
     * rounds when it has them, else its one main measurement.
     */
    private List<double[]> rounds(String transport, Placement placement, int size) {
        List<double[]> rounds = new ArrayList<>();
        if (m.results.rounds() != null) {
            for (Results.RoundResult r : m.results.rounds()) {
                if (r.transport().equals(transport) && r.placement() == placement && r.sizeBytes() == size) {
                    rounds.add(new double[] {us(r.javaP50()), us(r.nativeP50()), us(r.javaP99()), us(r.nativeP99())});
                }
            }
        }
        if (rounds.isEmpty()) {
            Double java = m.p50Us(transport, placement, size);
            Double c = NativeFloorSection.value(m, transport, placement, size, "rtt_p50");
            if (java != null && c != null) {
                Double javaTail = m.p99Us(transport, placement, size);
                Double cTail = NativeFloorSection.value(m, transport, placement, size, "rtt_p99");
                rounds.add(new double[] {java, c, javaTail == null ? 0 : javaTail, cTail == null ? 0 : cTail});
            }
        }
        return rounds;
    }

    /** How the round-trip goals were judged, when the run repeated its target points. */
    private String roundsSentence() {
        int most = m.results.rounds() == null ? 0
                : m.results.rounds().stream().mapToInt(Results.RoundResult::round).max().orElse(0);
        if (most < 2) {
            return "";
        }
        return "Each round-trip goal was measured in " + most + " rounds, Java and then C at once in each, so that the "
                + "machine's drift hits both: the ratio is the median of the rounds' ratios, with their range; a goal is "
                + "met when every round met it, missed when none did, and *unsteady* when the rounds disagree.";
    }

    private static double us(Quantity q) {
        return q == null ? 0 : Numbers.micros(q);
    }

    /**
     * Met when every round meets the goal, missed when every round misses it, and unsteady when the rounds disagree:
     * the median alone would then be a verdict drawn by luck.
     */
    private void judgeRounds(List<Double> ratios, double goal, String target, String transport, String where,
                             String whenMissed) {
        if (ratios.isEmpty()) {
            return;
        }
        long meeting = ratios.stream().filter(r -> r <= goal).count();
        String verdict = meeting == ratios.size() ? "yes" : meeting == 0 ? "**no**" : UNSTEADY;
        table.row(target, Text.id(transport), where, measured(ratios), "≤ " + Numbers.ratio(goal), verdict);
        if (meeting < ratios.size()) {
            missed.add(whenMissed + ": " + measured(ratios) + " of C (goal ≤ " + Numbers.ratio(goal) + ")"
                    + (meeting > 0 ? ", unsteady: " + meeting + " of " + ratios.size() + " rounds met it" : ""));
        }
    }

    /** The median ratio, and with more than one round its range: "1.08× (1.05–1.12×, 3 rounds)". */
    private static String measured(List<Double> ratios) {
        String median = Numbers.ratio(median(ratios));
        if (ratios.size() < 2) {
            return median;
        }
        double low = ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0);
        double high = ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0);
        return median + " (" + Numbers.ratio(low).replace("×", "") + "–" + Numbers.ratio(high) + ", "
                + ratios.size() + " rounds)";
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /**
     * A transport measured spinning: its benchmark settings say so, or — in a run that recorded no descriptor — its
     * CPU time shows it.
     */
    private void spinning() {
        for (String transport : m.transports) {
            boolean spins = m.spins(transport);
            Double p50 = m.p50Us(transport, Placement.DIFFERENT_CPUS, SPIN_SIZE);
            if (!spins || p50 == null) {
                continue;
            }
            String where = Numbers.size(SPIN_SIZE) + ", different CPUs";
            judge(p50 <= MAX_SPIN_P50_US, "round trip p50 with a busy-spin pauser", Text.id(transport), where,
                    Text.us(p50), "≤ " + Text.us(MAX_SPIN_P50_US),
                    Text.id(transport) + " " + Numbers.size(SPIN_SIZE) + " round trip on different CPUs: " + Text.us(p50)
                            + " (goal ≤ " + Text.us(MAX_SPIN_P50_US) + ")");
        }
    }

    /** Streaming is held against C for byte streams: a message transport's C echo frames the stream its own way. */
    private void streaming() {
        for (String transport : m.transports) {
            if (!m.descriptors.byteStreamOrUnknown(transport)) {
                continue;
            }
            for (ThroughputResult t : m.throughputRows()) {
                if (!t.transport().equals(transport) || t.mibPerSecond() == null) {
                    continue;
                }
                Double c = NativeFloorSection.value(m, transport, t.placement(), t.messageBytes(), "stream_mib_s");
                if (c == null || c <= 0) {
                    continue;
                }
                double ratio = Numbers.mibPerSecond(t.mibPerSecond()) / c;
                String where = Numbers.size(t.messageBytes()) + " writes, " + t.placement().label();
                if (ratio > FLOOR_BEATEN_BY) {
                    noFloor("streaming, Java ÷ C", Text.id(transport), where, Numbers.ratio(ratio),
                            "≥ " + Numbers.ratio(MIN_STREAM_RATIO));
                    continue;
                }
                judge(ratio >= MIN_STREAM_RATIO, "streaming, Java ÷ C", Text.id(transport), where,
                        Numbers.ratio(ratio), "≥ " + Numbers.ratio(MIN_STREAM_RATIO),
                        Text.id(transport) + " streaming in " + where + ": " + Numbers.ratio(ratio)
                                + " of C (goal ≥ " + Numbers.ratio(MIN_STREAM_RATIO) + ")");
            }
        }
    }

    /** A set-up that starts a JVM (the pipe's own echo child), shown beside the same transport's other set-ups. */
    private void jvmStart() {
        for (SetupResult setup : m.setupRows()) {
            if (setup.p50() == null || !m.descriptors.startsJvm(setup)) {
                continue;
            }
            double ms = Numbers.millis(setup.p50());
            String others = String.join("", m.setupRows().stream()
                    .filter(x -> x != setup && x.transport().equals(setup.transport()) && x.p50() != null
                            && !m.descriptors.startsJvm(x))
                    .map(x -> " (" + m.descriptors.variant(x).filter(v -> !v.key().isEmpty())
                            .map(v -> Markdown.code(v.key())).orElse(Markdown.escape(x.what()))
                            + ": " + Numbers.format(Numbers.millis(x.p50())) + " ms)")
                    .toList());
            judge(ms <= MAX_JVM_CHILD_FIRST_ECHO_MS, "time to first echo of a JVM echo child",
                    Text.id(setup.transport()), "spawn + first echo", Numbers.format(ms) + " ms" + others,
                    "≤ " + Numbers.format(MAX_JVM_CHILD_FIRST_ECHO_MS) + " ms",
                    "the JVM child's first echo (" + Text.id(setup.transport()) + "): " + Numbers.format(ms)
                            + " ms (goal ≤ " + Numbers.format(MAX_JVM_CHILD_FIRST_ECHO_MS) + " ms)");
        }
    }

    /**
     * The TCP server's memory with idle connections after load (its default design, as a Python client measured
     * it): at most 100 MiB with 1,000 and 200 MiB with 10,000, and a new client's echo still at once.
     */
    private void serverMemory() {
        if (m.results.serverMemory() == null) {
            return;
        }
        for (var r : m.results.serverMemory()) {
            double goal = r.idleConnections() >= 10_000 ? 200 : r.idleConnections() >= 1_000 ? 100 : 0;
            if (!Boolean.TRUE.equals(r.defaultModel()) || goal == 0) {
                continue;
            }
            String where = Markdown.code(r.model()) + ", " + Numbers.count(r.idleConnections()) + " idle";
            judge(r.rssIdleMiB() <= goal, "TCP server's memory with idle connections", "–", where,
                    Numbers.format(r.rssIdleMiB()) + " MiB", "≤ " + Numbers.format(goal) + " MiB",
                    "the TCP server's memory with " + Numbers.count(r.idleConnections()) + " idle connections: "
                            + Numbers.format(r.rssIdleMiB()) + " MiB (goal ≤ " + Numbers.format(goal) + " MiB)");
            double ms = Numbers.millis(r.newClientEcho());
            judge(ms <= MAX_NEW_CLIENT_MS, "a new client's echo beside them", "–", where, Numbers.format(ms) + " ms",
                    "≤ " + Numbers.format(MAX_NEW_CLIENT_MS) + " ms", "a new client's echo beside "
                            + Numbers.count(r.idleConnections()) + " idle connections: " + Numbers.format(ms) + " ms");
        }
    }

    private void timeBudget() {
        RunInfo run = m.results.run();
        Double budget = run == null ? null : TIME_BUDGET_S.get(run.mode());
        if (budget != null) {
            judge(run.durationS() <= budget, "time budget of `compare`", "–", run.mode() + " mode",
                    Numbers.format(run.durationS()) + " s", "≤ " + Numbers.format(budget) + " s",
                    "the run's time: " + Numbers.format(run.durationS()) + " s");
        }
    }

    private void noFloor(String target, String transport, String where, String measured, String goal) {
        table.row(target, transport, where, measured, goal, NO_VERDICT);
        notAFloor.add(transport + " " + target.replace("Java ÷ C", "").replace(", ", "").strip() + " at " + where
                + " (" + measured + " of C)");
    }

    private void judge(boolean met, String target, String transport, String where, String measured, String goal,
                       String whenMissed) {
        table.row(target, transport, where, measured, goal, met ? "yes" : "**no**");
        if (!met) {
            missed.add(whenMissed);
        }
    }
}

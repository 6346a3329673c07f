package org.ipclab.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.report.model.Results.Environment;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.PropertyResult;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;
import org.ipclab.report.model.Results.TransportStatus;

/**
 * Comments, under the lab template's four headings: limitations of the experiment (the lab's program and this run),
 * limitations of the results, learning, recommendations; each rule backed by a number of this run.
 */
final class CommentsSection {

    private final Measurements m;
    private final Markdown md;
    private final int size;

    CommentsSection(Measurements m, Markdown md) {
        this.m = m;
        this.md = md;
        this.size = m.referenceSize();
    }

    void render() {
        md.heading(2, "Comments");
        limitationsOfExperiment();
        limitationsOfResults();
        learned();
        recommendations();
    }

    private List<Placement> headlinePlacements() {
        return m.pinnedPlacements().isEmpty() ? m.latencyPlacements : m.pinnedPlacements();
    }

    private Optional<Measurements.Ranked> fastestSleeper(Placement placement) {
        return m.ranking(placement, size).stream().filter(r -> !m.spins(r.transport())).findFirst();
    }

    /** Different-CPU ÷ same-CPU ratios of the transports that sleep while waiting, at the reference size. */
    private List<Double> sleepingCrossRatios() {
        return m.crossCpu(size).stream().filter(c -> !m.spins(c.transport()))
                .map(Measurements.CrossCpu::ratio).toList();
    }

    /** "25.3–36.1×" or "31.0×" over the sleeping transports at the reference size, if placement mattered. */
    private Optional<String> crossCpuFactor() {
        List<Double> ratios = sleepingCrossRatios();
        if (ratios.isEmpty()) {
            return Optional.empty();
        }
        double low = ratios.stream().min(Double::compare).orElseThrow();
        double high = ratios.stream().max(Double::compare).orElseThrow();
        if (high < PlacementSection.LITTLE_DIFFERENCE_RATIO) {
            return Optional.empty();
        }
        return Optional.of(low == high ? Numbers.ratio(low) : Numbers.format(low) + "–" + Numbers.ratio(high));
    }

    private Optional<ThroughputResult> bestThroughput() {
        return m.throughputRows().stream().filter(r -> r.mibPerSecond() != null)
                .max(Comparator.comparingDouble(r -> Numbers.mibPerSecond(r.mibPerSecond())));
    }

    private void limitationsOfExperiment() {
        md.heading(3, "(a) Limitations of the experiment");
        List<String> bullets = new ArrayList<>();
        bullets.add("The lab's server is iterative: it serves one client at a time, and a second client waits in the "
                + "accept queue until the first closes. A concurrent server (a thread or process per client, or "
                + "`select`/`epoll`) is not part of the lab program.");
        bullets.add("Loopback only: client and server run on one machine over 127.0.0.1, so no network, no packet "
                + "loss and no congestion were measured.");
        bullets.add("The client handles a partial send only through `sendAll`-style writing of every byte; it does "
                + "not time out, retry a refused connection or check that the echo equals what it sent. The server "
                + "does not handle a port already in use or a port that is not a number.");
        bullets.add("Latency is one message in flight at a time (ping-pong) between one client and one server; many "
                + "clients at once appear only in the property and backlog experiments.");
        if (!m.latencySizes.isEmpty()) {
            EnumSet<Placement> missing = EnumSet.allOf(Placement.class);
            missing.removeAll(m.latencyPlacements);
            bullets.add("Message sizes measured: " + Text.join(m.latencySizes.stream().map(Numbers::size).toList())
                    + "; placements: " + Text.join(m.latencyPlacements.stream().map(Placement::label).toList())
                    + (missing.isEmpty() ? "." : " (not measured: "
                    + Text.join(missing.stream().map(Placement::label).toList()) + ")."));
        }
        for (TransportStatus t : Measurements.list(m.results.transports())) {
            if (!"measured".equalsIgnoreCase(t.status())) {
                bullets.add(Text.id(t.id()) + ("failed".equalsIgnoreCase(t.status()) ? " failed: "
                        : " was " + Markdown.escape(t.status()) + ": ")
                        + (t.reason() == null || t.reason().isBlank() ? "no reason recorded" : Markdown.escape(t.reason()))
                        + ".");
            }
        }
        md.bullets(bullets);
    }

    private void limitationsOfResults() {
        md.heading(3, "(b) Limitations of the results obtained");
        List<String> bullets = new ArrayList<>();
        String cpu = m.fact("cpu.model");
        String cpus = m.fact("cpus");
        String virt = m.fact("virtualization");
        bullets.add("One machine" + (cpu == null && cpus == null ? "" : " (" + Text.join(
                java.util.stream.Stream.of(cpu == null ? null : Markdown.escape(cpu), cpus == null ? null : cpus + " CPUs")
                        .filter(s -> s != null).toList()) + ")")
                + (virt == null || virt.isBlank() || virt.equals("none") ? "" : ", a virtual machine ("
                + Markdown.escape(virt) + ") whose host is shared with others")
                + ": absolute times hold for this run only; the ratios between transports measured in the same run "
                + "are the robust result.");
        Environment env = m.results.environment();
        if (env != null && !Double.isNaN(env.loadBefore()) && !Double.isNaN(env.loadAfter())) {
            List<String> busy = Measurements.list(env.otherBusyProcesses());
            bullets.add("Noise: the 1-minute load average was " + Numbers.format(env.loadBefore()) + " at the start and "
                    + Numbers.format(env.loadAfter()) + " at the end" + (busy.isEmpty() ? ""
                    : ", with other processes using CPU (" + Text.join(busy.stream().map(Markdown::escape).toList())
                    + ")") + ". " + steadiness());
        } else {
            bullets.add("Noise: the load average was not recorded in this run. " + steadiness());
        }
        bullets.add("CPU placement changes the numbers: a peer that sleeps on another CPU must be woken there, so "
                + "same-CPU and different-CPU medians differ; unpinned runs depend on the scheduler's choice.");
        m.latencyRows().stream().min(Comparator.comparingLong(LatencyResult::samples)).ifPresent(r -> {
            long tail = Math.max(1, r.samples() / 1000);
            bullets.add("The smallest latency measurement had " + Numbers.count(r.samples()) + " samples ("
                    + Text.id(r.transport()) + ", " + Numbers.size(r.sizeBytes()) + ", " + r.placement().label()
                    + "): its p99.9 rests on the slowest " + Numbers.count(tail) + " "
                    + (tail == 1 ? "sample" : "samples") + ".");
        });
        List<String> spins = m.transports.stream().filter(m::spins).map(Text::id).toList();
        if (!spins.isEmpty()) {
            bullets.add("Spinning transports (" + Text.join(spins) + ") poll on a CPU while they wait instead of "
                    + "sleeping; with more waiting processes than free CPUs they slow down sharply, which this run "
                    + "did not measure.");
        }
        md.bullets(bullets);
    }

    /** Whether this run's same-CPU medians agree with the previous run's in the same directory. */
    private String steadiness() {
        if (m.results.previous() == null || m.results.previous().latency() == null) {
            return "No earlier run in the same directory, so steadiness between runs was not checked.";
        }
        List<String> missed = new ArrayList<>();
        new Steadiness(m).judge(new MarkdownTable("a", "b", "c", "d", "e", "f"), missed);
        return missed.isEmpty() ? "Against the previous run every same-CPU median moved at most "
                + Numbers.percent(Steadiness.MAX_P50_DRIFT) + "."
                : "Between two runs the medians were not steady — " + Markdown.escape(missed.get(0)) + ".";
    }

    private void learned() {
        md.heading(3, "(c) Learning");
        List<String> bullets = new ArrayList<>();
        Placement placement = headlinePlacements().isEmpty() ? null : headlinePlacements().get(0);
        if (placement != null) {
            List<Measurements.Ranked> sleepers = m.ranking(placement, size).stream()
                    .filter(r -> !m.spins(r.transport())).toList();
            if (sleepers.size() >= 2) {
                Measurements.Ranked first = sleepers.get(0);
                Measurements.Ranked last = sleepers.get(sleepers.size() - 1);
                double spread = last.p50Us() / first.p50Us();
                String line = "Among mechanisms that sleep while waiting, the choice of mechanism changed a "
                        + Numbers.size(size) + " round trip " + Text.where(placement) + " by up to "
                        + Numbers.ratio(spread) + " (" + Text.id(first.transport()) + " " + Text.latency(first.p50Us())
                        + " to " + Text.id(last.transport()) + " " + Text.latency(last.p50Us()) + ")";
                List<Double> cross = sleepingCrossRatios();
                if (!cross.isEmpty()) {
                    double crossMedian = Measurements.median(cross);
                    line += "; moving the two processes onto different CPUs changed it by "
                            + Numbers.ratio(crossMedian) + " (median), " + (crossMedian > spread
                            ? "more than the choice of mechanism did" : "less than the choice of mechanism did")
                            + " — at " + Numbers.size(size) + "; larger messages are in the appendix's tables";
                }
                bullets.add(line + ".");
            }
        }
        List<String> busy = m.spinners().stream().map(spin -> Text.id(spin.transport()) + "'s " + spin.side()
                + " kept " + Numbers.percent(spin.share()) + " of a CPU busy (" + Numbers.size(spin.row().sizeBytes())
                + ", " + spin.row().placement().label() + ")").toList();
        if (!busy.isEmpty()) {
            bullets.add("Speed can be bought with CPU: " + Text.join(busy) + " for the whole round trip.");
        }
        List<SetupResult> setup = m.setupLikeForLike();
        if (setup.size() >= 2 && placement != null && m.ranking(placement, size).size() >= 2) {
            List<Measurements.Ranked> ranked = m.ranking(placement, size);
            double setupSpread = Numbers.millis(setup.get(setup.size() - 1).p50()) / Numbers.millis(setup.get(0).p50());
            double latencySpread = ranked.get(ranked.size() - 1).p50Us() / ranked.get(0).p50Us();
            bullets.add("Set-up costs spread " + Numbers.ratio(setupSpread) + " between the cheapest and the dearest "
                    + "transport, round trips " + Numbers.ratio(latencySpread) + ": "
                    + (setupSpread > latencySpread ? "for short conversations, how a channel is opened matters more "
                    + "than how fast it carries a message." : "once open, the channels differ more than their set-up."));
        }
        List<String> properties = m.propertyNames();
        if (!properties.isEmpty()) {
            long differing = properties.stream().filter(p -> m.propertyRows().stream()
                    .filter(r -> r.property().equals(p) && r.observed()).map(PropertyResult::value).distinct()
                    .count() > 1).count();
            bullets.add("The mechanisms differ in kind, not only in speed: " + differing + " of "
                    + properties.size() + " properties in the matrix came out differently for different transports.");
        }
        if (bullets.isEmpty()) {
            bullets.add("This run measured too little to draw lessons from; run `./ipc-lab compare` with more "
                    + "transports.");
        }
        md.bullets(bullets);
    }

    private void recommendations() {
        md.heading(3, "(d) Recommendations");
        List<String> bullets = new ArrayList<>();
        List<String> spinners = new ArrayList<>();
        Map<String, List<String>> sleepers = new LinkedHashMap<>();
        for (Placement placement : headlinePlacements()) {
            List<Measurements.Ranked> ranked = m.ranking(placement, size);
            Optional<Measurements.Ranked> spinner = ranked.stream().filter(r -> m.spins(r.transport())).findFirst();
            Optional<Measurements.Ranked> sleeper = fastestSleeper(placement);
            if (spinner.isPresent() && sleeper.isPresent() && spinner.get().p50Us() < sleeper.get().p50Us()) {
                spinners.add(Text.id(spinner.get().transport()) + " " + Text.where(placement) + " ("
                        + Text.latency(spinner.get().p50Us()) + " against " + Text.latency(sleeper.get().p50Us()) + " for "
                        + Text.id(sleeper.get().transport()) + ")");
            }
            sleeper.ifPresent(s -> sleepers.computeIfAbsent(s.transport(), t -> new ArrayList<>())
                    .add(Text.latency(s.p50Us()) + " " + Text.where(placement)));
        }
        if (!spinners.isEmpty()) {
            bullets.add("Lowest " + Numbers.size(size) + " latency when a CPU can be given to every waiting process: "
                    + Text.join(spinners) + ".");
        }
        if (!sleepers.isEmpty()) {
            List<String> best = new ArrayList<>();
            sleepers.forEach((transport, where) -> best.add(Text.id(transport) + " (" + Text.join(where) + ")"));
            bullets.add("Lowest " + Numbers.size(size) + " latency without keeping a CPU busy: " + Text.join(best)
                    + ".");
        }
        bestThroughput().ifPresent(t -> bullets.add("Bulk data between two local processes: "
                + Text.id(t.transport()) + " (" + Text.mibs(Numbers.mibPerSecond(t.mibPerSecond())) + ")."));
        List<SetupResult> setup = m.setupLikeForLike();
        if (setup.size() >= 2) {
            SetupResult dearest = setup.get(setup.size() - 1);
            bullets.add("Many short-lived conversations: set up once and reuse the channel; opening one cost "
                    + Text.ms(Numbers.millis(setup.get(0).p50())) + " (" + Text.id(setup.get(0).transport()) + ") to "
                    + Text.ms(Numbers.millis(dearest.p50())) + " (" + Text.id(dearest.transport()) + ", "
                    + Markdown.escape(dearest.what()) + ").");
        }
        crossCpuFactor().ifPresent(f -> bullets.add("Latency-sensitive pairs of processes that block: pin them to "
                + "one CPU, or keep their CPUs from going idle — on different CPUs they were " + f
                + " slower here."));
        List<String> anyHost = m.descriptors.anyHost(m.transports);
        if (!anyHost.isEmpty()) {
            String first = anyHost.get(0);
            String who = m.propertyNames().stream().filter(p -> p.toLowerCase(java.util.Locale.ROOT).contains("connect"))
                    .findFirst().flatMap(p -> m.property(first, p).filter(PropertyResult::observed)
                            .map(r -> " (the matrix's \"" + Markdown.escape(p) + "\" for " + first + ": "
                                    + Markdown.escape(r.value()) + ")")).orElse("");
            List<String> names = anyHost.stream().map(m.descriptors::name).toList();
            bullets.add("Talking to another machine, or to programs in any language: " + Text.join(names)
                    + (names.size() == 1 ? ", the only mechanism here that leaves the host"
                    : ", the mechanisms here that leave the host") + who + ".");
        }
        m.propertyNames().stream().filter(p -> {
            String lower = p.toLowerCase(java.util.Locale.ROOT);
            return lower.contains("crash") || lower.contains("surviv") || lower.contains("persist");
        }).findFirst().ifPresent(p -> {
            List<String> values = m.propertyRows().stream().filter(r -> r.property().equals(p) && r.observed())
                    .filter(r -> r.value() != null && r.value().toLowerCase(java.util.Locale.ROOT).startsWith("yes"))
                    .map(r -> Text.id(r.transport()) + " (" + Markdown.escape(r.value()) + ")").toList();
            if (!values.isEmpty()) {
                bullets.add("Messages that must outlive a crashed reader: " + Text.join(values)
                        + ", by the matrix's \"" + Markdown.escape(p) + "\" column; the others lose them.");
            }
        });
        List<String> keepBoundaries = m.transports.stream().filter(t -> m.descriptors.of(t)
                .map(d -> d.kind() == Kind.MESSAGE || d.kind() == Kind.LOG).orElse(false))
                .map(Text::id).toList();
        if (!keepBoundaries.isEmpty()) {
            bullets.add("Messages that must arrive as they were sent, without framing them yourself: "
                    + Text.join(keepBoundaries) + " keep message boundaries; the byte streams do not.");
        }
        if (bullets.isEmpty()) {
            bullets.add("This run measured too little to recommend a mechanism; run `./ipc-lab compare` again.");
        }
        md.bullets(bullets);
    }
}

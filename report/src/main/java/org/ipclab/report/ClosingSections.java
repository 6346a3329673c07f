package org.ipclab.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;

import org.ipclab.report.model.Results.Environment;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.PropertyResult;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;
import org.ipclab.report.model.Results.TransportStatus;

/** Conclusion and Comments (limitations, what was learned, recommendations), each rule backed by a number. */
final class ClosingSections {

    private final Measurements m;
    private final Markdown md;
    private final Question2Renderer question2;
    private final int size;

    ClosingSections(Measurements m, Markdown md, Question2Renderer question2) {
        this.m = m;
        this.md = md;
        this.question2 = question2;
        this.size = m.referenceSize();
    }

    void render() {
        conclusion();
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

    private void conclusion() {
        md.heading(2, "Conclusion");
        List<String> bullets = new ArrayList<>();
        for (Placement placement : headlinePlacements()) {
            List<Measurements.Ranked> ranked = m.ranking(placement, size);
            if (ranked.isEmpty()) {
                continue;
            }
            Measurements.Ranked fastest = ranked.get(0);
            Measurements.Ranked slowest = ranked.get(ranked.size() - 1);
            String line = Text.capital(Text.where(placement)) + ", the fastest " + Numbers.size(size) + " round trip was "
                    + Text.id(fastest.transport()) + " (" + Text.us(fastest.p50Us()) + ")"
                    + (m.spins(fastest.transport()) ? ", which spins and so keeps a CPU busy while it waits" : "");
            if (ranked.size() > 1) {
                line += "; the slowest " + Text.id(slowest.transport()) + " (" + Text.us(slowest.p50Us()) + "), "
                        + Numbers.ratio(slowest.p50Us() / fastest.p50Us()) + " as long";
            }
            Optional<Measurements.Ranked> sleeper = fastestSleeper(placement);
            if (m.spins(fastest.transport()) && sleeper.isPresent()) {
                line += ". The fastest that sleeps while waiting was " + Text.id(sleeper.get().transport()) + " ("
                        + Text.us(sleeper.get().p50Us()) + ")";
            }
            Optional<String> socket = m.descriptors.labSocket(m.transports);
            Double ref = socket.map(t -> m.p50Us(t, placement, size)).orElse(null);
            if (ref != null && sleeper.isPresent() && !sleeper.get().transport().equals(socket.get())
                    && !(slowest.transport().equals(socket.get()) && sleeper.get().equals(fastest))) {
                line += ". " + m.descriptors.name(socket.get()) + " took " + Numbers.ratio(ref / sleeper.get().p50Us())
                        + " as long as " + Text.id(sleeper.get().transport());
            }
            bullets.add(line + ".");
        }
        crossCpuFactor().ifPresent(f -> {
            String line = "Crossing CPUs made the transports that sleep while waiting " + f + " slower at "
                    + Numbers.size(size);
            OptionalDouble spread = mechanismSpread();
            double crossMedian = Measurements.median(sleepingCrossRatios());
            if (spread.isPresent()) {
                line += ", while on one CPU they differed from each other by up to "
                        + Numbers.ratio(spread.getAsDouble()) + ": where the processes ran mattered "
                        + (crossMedian > spread.getAsDouble() ? "more" : "less") + " than which mechanism they used";
            }
            bullets.add(line + ".");
        });
        bestThroughput().ifPresent(t -> bullets.add("The most streaming throughput came from " + Text.id(t.transport())
                + " (" + Text.mibs(Numbers.mibPerSecond(t.mibPerSecond())) + ", " + Text.where(t.placement()) + ")."));
        List<SetupResult> setup = m.setupPositive();
        if (setup.size() >= 2) {
            SetupResult cheapest = setup.get(0);
            SetupResult dearest = setup.get(setup.size() - 1);
            bullets.add("Set-up ranged from " + Text.ms(Numbers.millis(cheapest.p50())) + " ("
                    + Text.id(cheapest.transport()) + ") to " + Text.ms(Numbers.millis(dearest.p50())) + " ("
                    + Text.id(dearest.transport()) + ").");
        }
        String backlog = question2.conclusion(m.results);
        if (backlog != null && !backlog.isBlank()) {
            bullets.add(backlog);
        }
        List<String> missing = new ArrayList<>();
        for (TransportStatus t : Measurements.list(m.results.transports())) {
            if (!"measured".equalsIgnoreCase(t.status())) {
                missing.add(Text.id(t.id()) + " (" + Markdown.escape(t.status()) + ")");
            }
        }
        if (!missing.isEmpty()) {
            bullets.add("Not measured in this run: " + Text.join(missing) + "; see Transports for why.");
        }
        if (bullets.isEmpty()) {
            md.paragraph("This run produced no measurements to conclude from.");
        } else {
            md.bullets(bullets);
        }
    }

    /** Different-CPU ÷ same-CPU ratios of the transports that sleep while waiting, at the reference size. */
    private List<Double> sleepingCrossRatios() {
        return m.crossCpu(size).stream().filter(c -> !m.spins(c.transport()))
                .map(Measurements.CrossCpu::ratio).toList();
    }

    /** Slowest ÷ fastest median among the transports that sleep while waiting, on the first headline placement. */
    private OptionalDouble mechanismSpread() {
        if (headlinePlacements().isEmpty()) {
            return OptionalDouble.empty();
        }
        List<Measurements.Ranked> sleepers = m.ranking(headlinePlacements().get(0), size).stream()
                .filter(r -> !m.spins(r.transport())).toList();
        if (sleepers.size() < 2) {
            return OptionalDouble.empty();
        }
        return OptionalDouble.of(sleepers.get(sleepers.size() - 1).p50Us() / sleepers.get(0).p50Us());
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
        md.heading(3, "Limitations of the experiment");
        List<String> bullets = new ArrayList<>();
        String cpu = m.fact("cpu.model");
        String cpus = m.fact("cpus");
        bullets.add("One machine" + (cpu == null && cpus == null ? "" : " (" + Text.join(
                java.util.stream.Stream.of(cpu == null ? null : Markdown.escape(cpu), cpus == null ? null : cpus + " CPUs")
                        .filter(s -> s != null).toList()) + ")")
                + ", with client and server on it: TCP ran over the loopback interface, so no network, no "
                + "packet loss and no congestion were measured.");
        bullets.add("Latency is one message in flight at a time (ping-pong) between one client and one server; "
                + "many clients at once are only exercised by the property and backlog experiments.");
        if (!m.latencySizes.isEmpty()) {
            EnumSet<Placement> missing = EnumSet.allOf(Placement.class);
            missing.removeAll(m.latencyPlacements);
            bullets.add("Message sizes measured: " + Text.join(m.latencySizes.stream().map(Numbers::size).toList())
                    + ". Placements measured: " + Text.join(m.latencyPlacements.stream().map(Placement::label).toList())
                    + (missing.isEmpty() ? "." : "; not measured: "
                    + Text.join(missing.stream().map(Placement::label).toList()) + "."));
        }
        if (m.results.run() != null && m.results.run().mode() != null) {
            bullets.add("The run used " + Markdown.escape(m.results.run().mode()) + " mode; its JMH settings are in the "
                    + "settings table under Method. Fewer iterations give less stable percentiles.");
        }
        for (TransportStatus t : Measurements.list(m.results.transports())) {
            if (!"measured".equalsIgnoreCase(t.status())) {
                bullets.add(Text.id(t.id()) + ("failed".equalsIgnoreCase(t.status()) ? " failed: "
                        : " was " + Markdown.escape(t.status()) + ": ")
                        + (t.reason() == null || t.reason().isBlank() ? "no reason recorded" : Markdown.escape(t.reason()))
                        + ".");
            }
        }
        List<String> notShown = m.propertyRows().stream().filter(p -> !p.observed())
                .map(p -> Text.id(p.transport()) + " " + Markdown.escape(p.property())).toList();
        if (!notShown.isEmpty()) {
            bullets.add("Properties the run could not demonstrate (see the evidence in Answer 1): "
                    + Text.join(notShown) + ".");
        }
        Environment env = m.results.environment();
        if (env != null && !Measurements.list(env.otherBusyProcesses()).isEmpty()) {
            bullets.add("The machine was not idle: " + Text.join(env.otherBusyProcesses().stream().map(Markdown::escape)
                    .toList()) + " used CPU during the run (load " + Numbers.format(env.loadBefore()) + " → "
                    + Numbers.format(env.loadAfter()) + ").");
        }
        md.bullets(bullets);
    }

    private void limitationsOfResults() {
        md.heading(3, "Limitations of the results");
        List<String> bullets = new ArrayList<>();
        bullets.add("The numbers hold for this machine in this run. Background load and CPU placement move absolute "
                + "times; the ratios between transports measured in the same run are the robust result.");
        m.latencyRows().stream().min(Comparator.comparingLong(LatencyResult::samples)).ifPresent(r -> {
            long tail = Math.max(1, r.samples() / 1000);
            bullets.add("The smallest latency measurement had " + Numbers.count(r.samples()) + " samples ("
                    + Text.id(r.transport()) + ", " + Numbers.size(r.sizeBytes()) + ", " + r.placement().label()
                    + "): its p99.9 rests on the slowest " + Numbers.count(tail) + " "
                    + (tail == 1 ? "sample" : "samples") + ", and every max is a single sample.");
        });
        if (m.latencyPlacements.contains(Placement.UNPINNED)) {
            bullets.add("Unpinned numbers depend on where the scheduler put the processes in this run; they are "
                    + "shown beside the pinned ones, not instead of them.");
        }
        List<Measurements.Spin> spins = m.spinners();
        if (!spins.isEmpty()) {
            String cpus = m.fact("cpus");
            bullets.add("Spinning transports (" + Text.join(spins.stream().map(s -> Text.id(s.transport())).toList())
                    + ") were measured with " + (cpus == null ? "the machine's CPUs" : cpus + " CPUs")
                    + " and nothing else of ours running; with more waiting processes than free CPUs they slow down "
                    + "sharply, which this run did not measure.");
        }
        md.bullets(bullets);
    }

    private void learned() {
        md.heading(3, "What was learned");
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
                        + Numbers.ratio(spread) + " (" + Text.id(first.transport()) + " " + Text.us(first.p50Us())
                        + " to " + Text.id(last.transport()) + " " + Text.us(last.p50Us()) + ")";
                List<Double> cross = sleepingCrossRatios();
                if (!cross.isEmpty()) {
                    double crossMedian = Measurements.median(cross);
                    line += "; moving the two processes onto different CPUs changed it by "
                            + Numbers.ratio(crossMedian) + " (median), " + (crossMedian > spread
                            ? "more than the choice of mechanism did" : "less than the choice of mechanism did");
                }
                bullets.add(line + ".");
            }
        }
        for (Measurements.Spin spin : m.spinners()) {
            bullets.add("Speed can be bought with CPU: " + Text.id(spin.transport()) + "'s " + spin.side()
                    + " kept " + Numbers.percent(spin.share()) + " of a CPU busy for the whole round trip ("
                    + Numbers.size(spin.row().sizeBytes()) + ", " + spin.row().placement().label() + ").");
        }
        List<SetupResult> setup = m.setupPositive();
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
        md.heading(3, "Recommendations");
        List<String> bullets = new ArrayList<>();
        List<String> spinners = new ArrayList<>();
        Map<String, List<String>> sleepers = new LinkedHashMap<>();
        for (Placement placement : headlinePlacements()) {
            List<Measurements.Ranked> ranked = m.ranking(placement, size);
            Optional<Measurements.Ranked> spinner = ranked.stream().filter(r -> m.spins(r.transport())).findFirst();
            Optional<Measurements.Ranked> sleeper = fastestSleeper(placement);
            if (spinner.isPresent() && sleeper.isPresent() && spinner.get().p50Us() < sleeper.get().p50Us()) {
                spinners.add(Text.id(spinner.get().transport()) + " " + Text.where(placement) + " ("
                        + Text.us(spinner.get().p50Us()) + " against " + Text.us(sleeper.get().p50Us()) + " for "
                        + Text.id(sleeper.get().transport()) + ")");
            }
            sleeper.ifPresent(s -> sleepers.computeIfAbsent(s.transport(), t -> new ArrayList<>())
                    .add(Text.us(s.p50Us()) + " " + Text.where(placement)));
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
        List<SetupResult> setup = m.setupPositive();
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
                    .map(r -> Text.id(r.transport()) + ": " + Markdown.escape(r.value())).toList();
            if (!values.isEmpty()) {
                bullets.add("Messages that must outlive a crashed reader: choose by the matrix's \""
                        + Markdown.escape(p) + "\" row — " + String.join("; ", values) + ".");
            }
        });
        if (bullets.isEmpty()) {
            bullets.add("This run measured too little to recommend a mechanism; run `./ipc-lab compare` again.");
        }
        md.bullets(bullets);
    }
}

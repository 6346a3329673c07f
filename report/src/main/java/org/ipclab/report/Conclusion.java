package org.ipclab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.PropertyResult;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;

/**
 * The lab record's Conclusion: five to eight sentences from this run — the fastest and slowest round trip, what
 * placement did, what only the sockets did, streaming, set-up like for like, and the backlog result. A part the
 * run did not measure gets a sentence that says so.
 */
final class Conclusion {

    private Conclusion() {
    }

    /** Markdown paragraph(s), no heading; every µs or ms figure is a value of {@code results}. */
    static String prose(Results results, Question2Renderer question2) {
        Measurements m = new Measurements(results);
        int size = m.referenceSize();
        List<String> sentences = new ArrayList<>();
        List<Placement> placements = m.pinnedPlacements().isEmpty() ? m.latencyPlacements : m.pinnedPlacements();
        for (Placement placement : placements) {
            extremes(m, placement, size).ifPresent(sentences::add);
        }
        if (sentences.isEmpty()) {
            sentences.add("Round-trip latency was " + PropertyCitations.NOT_MEASURED + ", so no mechanism can be called "
                    + "fastest here.");
        }
        sentences.add(placement(m, size));
        sentences.add(onlySockets(m));
        sentences.add(streaming(m));
        sentences.add(setup(m));
        String backlog = question2.conclusion(results);
        sentences.add(backlog == null || backlog.isBlank()
                ? "The backlog question (Answer 2) was " + PropertyCitations.NOT_MEASURED + "." : backlog.trim());
        return String.join(" ", sentences) + "\n";
    }

    private static Optional<String> extremes(Measurements m, Placement placement, int size) {
        List<Measurements.Ranked> ranked = m.ranking(placement, size);
        if (ranked.size() < 2) {
            return Optional.empty();
        }
        Measurements.Ranked fastest = ranked.get(0);
        Measurements.Ranked slowest = ranked.get(ranked.size() - 1);
        String sentence = Text.capital(Text.where(placement)) + ", the fastest " + Numbers.size(size)
                + " round trip was " + Text.id(fastest.transport()) + " (" + Text.latency(fastest.p50Us()) + ")";
        if (m.spins(fastest.transport())) {
            Optional<Measurements.Ranked> sleeper = ranked.stream().filter(r -> !m.spins(r.transport())).findFirst();
            sentence += ", which spins and so keeps a CPU busy while it waits"
                    + sleeper.filter(s -> s != slowest).map(s -> " (the fastest that sleeps was "
                    + Text.id(s.transport()) + ", " + Text.latency(s.p50Us()) + ")").orElse("");
        }
        return Optional.of(sentence + ", the slowest " + Text.id(slowest.transport()) + " ("
                + Text.latency(slowest.p50Us()) + "), " + Numbers.ratio(slowest.p50Us() / fastest.p50Us()) + " as long.");
    }

    /** What moving the processes onto different CPUs did, against what the choice of mechanism did. */
    private static String placement(Measurements m, int size) {
        List<Measurements.CrossCpu> rows = m.crossCpu(size).stream().filter(c -> !m.spins(c.transport())).toList();
        if (rows.isEmpty()) {
            return "What CPU placement does was " + PropertyCitations.NOT_MEASURED
                    + " (no transport that sleeps was measured both on one CPU and across CPUs).";
        }
        double low = rows.stream().mapToDouble(Measurements.CrossCpu::ratio).min().orElseThrow();
        double high = rows.stream().mapToDouble(Measurements.CrossCpu::ratio).max().orElseThrow();
        double sameLow = rows.stream().mapToDouble(Measurements.CrossCpu::sameUs).min().orElseThrow();
        double sameHigh = rows.stream().mapToDouble(Measurements.CrossCpu::sameUs).max().orElseThrow();
        String range = Numbers.format(low).equals(Numbers.format(high)) ? Numbers.ratio(low)
                : Numbers.format(low) + "–" + Numbers.ratio(high);
        double spread = sameHigh / sameLow;
        return "Moving client and server onto different CPUs made the transports that sleep while they wait " + range
                + (low >= 1 ? " slower" : " as long") + " at " + Numbers.size(size) + ", while on one CPU they differed "
                + "from each other by up to " + Numbers.ratio(spread) + ": at this size where the processes ran "
                + (low > spread ? "mattered more than" : "did not matter more than") + " which mechanism they used.";
    }

    /** The property values that only the lab socket's API family showed, and the reach only it has. */
    private static String onlySockets(Measurements m) {
        Optional<String> socket = m.descriptors.labSocket(m.transports);
        if (socket.isEmpty()) {
            return "Which transport is the lab's socket was " + PropertyCitations.NOT_MEASURED
                    + " (the run carries no descriptors), so nothing is claimed for sockets alone.";
        }
        String family = m.descriptors.family(socket.get());
        List<String> sockets = m.transports.stream().filter(t -> t.equals(socket.get())
                || m.descriptors.sameFamily(socket.get(), t)).toList();
        List<String> only = new ArrayList<>();
        for (String property : m.propertyNames()) {
            Map<String, List<String>> byValue = new LinkedHashMap<>();
            Map<String, String> shown = new LinkedHashMap<>();
            for (String transport : m.transports) {
                m.property(transport, property).filter(PropertyResult::observed).ifPresent(p -> {
                    byValue.computeIfAbsent(gist(p.value()), v -> new ArrayList<>()).add(p.transport());
                    shown.putIfAbsent(gist(p.value()), p.value());
                });
            }
            if (byValue.size() < 2) {
                continue;
            }
            byValue.forEach((gist, ids) -> {
                if (Set.copyOf(ids).equals(Set.copyOf(sockets))) {
                    only.add(Markdown.escape(property) + " “" + Markdown.escape(shown.get(gist)) + "”");
                }
            });
        }
        List<String> anyHost = m.descriptors.anyHost(m.transports);
        String who = Text.join(sockets.stream().map(Text::id).toList());
        String reach = anyHost.size() < m.transports.size() && !anyHost.isEmpty()
                ? Text.join(anyHost.stream().map(Text::id).toList()) + " alone can be reached from another host"
                : "";
        if (only.isEmpty()) {
            return reach.isEmpty() ? "No property set the " + (family.isEmpty() ? "socket" : family) + "s (" + who
                    + ") apart from every other mechanism in this run's experiments."
                    : Text.capital(reach) + "; no other property set the sockets (" + who + ") apart in this run.";
        }
        return "Only the " + (family.isEmpty() ? "socket" : family) + "s (" + who + ") showed " + Text.join(only)
                + (reach.isEmpty() ? "" : ", and " + reach) + ".";
    }

    /**
     * A value's gist, the words before its details ("no" of "no: lost (EPIPE)"), so that two transports that both
     * lose their data count as alike although the error they saw differs.
     */
    private static String gist(String value) {
        String[] parts = value.split("[:;(]", 2);
        return parts[0].trim().toLowerCase(java.util.Locale.ROOT);
    }

    private static String streaming(Measurements m) {
        Optional<ThroughputResult> top = m.throughputRows().stream().filter(r -> r.mibPerSecond() != null)
                .max((a, b) -> Double.compare(Numbers.mibPerSecond(a.mibPerSecond()),
                        Numbers.mibPerSecond(b.mibPerSecond())));
        return top.map(t -> "The most streaming throughput came from " + Text.id(t.transport()) + " ("
                        + Text.mibs(Numbers.mibPerSecond(t.mibPerSecond())) + " " + Text.where(t.placement()) + ", "
                        + Numbers.size(t.messageBytes()) + " writes).")
                .orElse("Streaming throughput was " + PropertyCitations.NOT_MEASURED + ".");
    }

    /** Set-up like for like: only the set-ups that open a channel, not those that start a JVM. */
    private static String setup(Measurements m) {
        List<SetupResult> rows = m.setupLikeForLike();
        if (rows.size() < 2) {
            return "Set-up cost was " + PropertyCitations.NOT_MEASURED + " for more than one transport.";
        }
        SetupResult cheapest = rows.get(0);
        SetupResult dearest = rows.get(rows.size() - 1);
        boolean jvmLeftOut = m.setupPositive().stream().anyMatch(m.descriptors::startsJvm);
        List<String> environments = m.setupPositive().stream().filter(Measurements::startsEnvironment)
                .map(r -> Markdown.escape(r.what()) + " (" + Text.ms(Numbers.millis(r.p50())) + ")").toList();
        return "Opening a channel and getting the first echo ranged from " + Text.ms(Numbers.millis(cheapest.p50()))
                + " (" + Text.id(cheapest.transport()) + ") to " + Text.ms(Numbers.millis(dearest.p50())) + " ("
                + Text.id(dearest.transport()) + ", " + Markdown.escape(dearest.what()) + ")"
                + (jvmLeftOut ? ", leaving out set-ups that start a JVM, which measure JVM start-up" : "")
                + (environments.isEmpty() ? "" : (jvmLeftOut ? ", and " : ", leaving out ") + Text.join(environments)
                + ", which happens once per run before any channel opens") + ".";
    }
}

package org.ipclab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Reach;
import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;

/**
 * Answer 1 of the lab record in prose: how socket programming differs from pipes and message queues — naming and
 * reach, direction, message boundaries, who may connect, what survives a crash, set-up and speed — each claim
 * citing this run's measurement. The mechanisms are grouped by what their descriptors declare (reach, kind, API
 * family), so a transport added to the registry is placed in the answer without naming it here.
 */
final class AnswerOne {

    private AnswerOne() {
    }

    /** Markdown paragraphs, no heading; every µs or ms figure is a value of {@code results}. */
    static String prose(Results results) {
        Measurements m = new Measurements(results);
        PropertyCitations cite = new PropertyCitations(m);
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(naming(m, cite));
        paragraphs.add(direction(m, cite) + " " + boundaries(m, cite));
        paragraphs.add(crash(m, cite));
        paragraphs.add(setup(m) + " " + speed(m));
        return String.join("\n\n", paragraphs) + "\n";
    }

    /** Naming, reach and who may connect: the descriptors' reach, the "who can connect" experiment's values. */
    private static String naming(Measurements m, PropertyCitations cite) {
        Optional<String> who = cite.property("who", "connect");
        List<String> sentences = new ArrayList<>();
        sentences.add("A socket is found by its name: bind(2) gives it an address and connect(2) reaches it there, "
                + "so the kind of name decides who can connect.");
        List<String> unknown = new ArrayList<>(m.transports);
        for (Reach reach : List.of(Reach.ANY_HOST, Reach.SAME_HOST, Reach.RELATED_PROCESSES)) {
            List<String> group = m.transports.stream()
                    .filter(t -> m.descriptors.of(t).map(d -> d.reach() == reach).orElse(false)).toList();
            unknown.removeAll(group);
            if (group.isEmpty()) {
                continue;
            }
            String each = group.size() == 1 ? " is " : " are each ";
            String ids = Text.join(group.stream().map(Text::id).toList());
            String what = switch (reach) {
                case ANY_HOST -> "named by an address and port reachable from any host";
                case SAME_HOST -> "a path or name on this host, its file mode checked at open or connect";
                case RELATED_PROCESSES -> "nameless: pipe(2) returns two descriptors that only children inheriting "
                        + "them across fork(2) can use";
            };
            sentences.add(ids + each + what + ".");
        }
        if (!unknown.isEmpty()) {
            sentences.add("This run's descriptors did not say how " + Text.join(unknown.stream().map(Text::id)
                    .toList()) + " can be reached" + (who.isPresent() ? " (who can connect: " + cite.cite(who, unknown)
                    + ")" : "") + ".");
        }
        if (who.isEmpty()) {
            sentences.add("Who can connect was " + PropertyCitations.NOT_MEASURED + ".");
        } else {
        }
        List<String> anyHost = m.descriptors.anyHost(m.transports);
        Optional<String> across = acrossSentence(m);
        if (!anyHost.isEmpty() && anyHost.size() < m.transports.size()) {
            sentences.add("Only sockets reach other hosts"
                    + across.map(a -> ": " + a).orElse("."));
        } else {
            across.map(a -> Text.capital(a)).ifPresent(sentences::add);
        }
        brokerSentence(m).ifPresent(sentences::add);
        return String.join(" ", sentences);
    }

    /**
     * A transport that reaches any host without being a socket itself is a broker built on sockets: what it adds (a
     * hop through a third process, the message kept in its log) and what that costs against the lab's socket.
     */
    private static Optional<String> brokerSentence(Measurements m) {
        Optional<String> socket = m.descriptors.labSocket(m.transports);
        int size = m.referenceSize();
        Optional<String> broker = broker(m);
        if (socket.isEmpty() || broker.isEmpty()) {
            return Optional.empty();
        }
        Placement placement = Placement.DIFFERENT_CPUS;
        Double p50 = m.p50Us(broker.get(), placement, size);
        Double ref = m.p50Us(socket.get(), placement, size);
        if (p50 == null || ref == null || ref <= 0) {
            return Optional.empty();
        }
        boolean log = m.descriptors.of(broker.get()).map(d -> d.kind() == Kind.LOG).orElse(false);
        return Optional.of(Text.id(broker.get()) + " reaches any host through a broker, a TCP server" + (log
                ? " keeping a log" : "") + ": one more hop, so its " + Numbers.size(size) + " echo took " + Text.latency(p50)
                + " " + Text.where(placement) + " against " + m.descriptors.name(socket.get()) + "'s " + Text.latency(ref) + ".");
    }

    /** The first transport that reaches any host without being of the lab socket's family: a broker built on sockets. */
    private static Optional<String> broker(Measurements m) {
        Optional<String> socket = m.descriptors.labSocket(m.transports);
        if (socket.isEmpty() || m.referenceSize() < 0) {
            return Optional.empty();
        }
        return m.descriptors.anyHost(m.transports).stream().filter(t -> !m.descriptors.sameFamily(socket.get(), t))
                .findFirst();
    }


    /** The reach shown, when the run measured TCP between two namespace hosts over an emulated link. */
    private static Optional<String> acrossSentence(Measurements m) {
        List<org.ipclab.report.model.NetworkResult> rows = Measurements.list(m.results.network());
        Optional<String> socket = m.descriptors.labSocket(m.transports);
        return rows.stream().filter(r -> socket.isPresent() && r.transport().equals(socket.get()) && r.what().equals("round trip")
                        && r.sizeBytes() == m.referenceSize() && r.p50() != null).findFirst()
                .map(r -> "between two network namespace hosts over an emulated "
                        + Numbers.format(r.rttMs()) + " ms, " + Numbers.format(r.rateMbit()) + " Mbit/s link, a "
                        + Numbers.size(r.sizeBytes()) + " " + m.descriptors.name(r.transport()) + " echo took "
                        + Numbers.format(Numbers.millis(r.p50())) + " ms ([across a network](" + ReportWriter.APPENDIX_FILE
                        + "#" + NetworkSection.ANCHOR + ")).");
    }

    private static String direction(Measurements m, PropertyCitations cite) {
        Optional<String> direction = cite.property("direction");
        if (direction.isEmpty()) {
            return "Which way the bytes flow was " + PropertyCitations.NOT_MEASURED + ".";
        }
        List<String> duplex = cite.startingWith(direction, m.transports, "duplex");
        List<String> oneWay = cite.startingWith(direction, m.transports, "one-way");
        String text = "Direction, tried by writing each way on one channel: " + cite.cite(direction, m.transports)
                + ".";
        if (!duplex.isEmpty() && !oneWay.isEmpty()) {
            String family = m.descriptors.family(duplex.get(0));
            text += " A connected " + (family.isEmpty() ? "channel" : family) + " carries request and reply both "
                    + "ways on one descriptor; one-way mechanisms need two channels for an echo.";
        }
        return text;
    }

    /** Message boundaries: byte streams against the kinds that keep each message whole. */
    private static String boundaries(Measurements m, PropertyCitations cite) {
        Optional<String> boundaries = cite.property("boundar");
        if (boundaries.isEmpty()) {
            return "Message boundaries were " + PropertyCitations.NOT_MEASURED + ".";
        }
        List<String> streams = m.transports.stream().filter(t -> kind(m, t).orElse(null) == Kind.BYTE_STREAM)
                .toList();
        List<String> whole = m.transports.stream().filter(t -> kind(m, t).map(k -> k != Kind.BYTE_STREAM)
                .orElse(false)).toList();
        List<String> undeclared = m.transports.stream().filter(t -> kind(m, t).isEmpty()).toList();
        List<String> sentences = new ArrayList<>();
        if (!streams.isEmpty()) {
            sentences.add("A byte stream keeps no write boundaries, so the program must frame its messages: " + cite.cite(boundaries, streams) + ".");
        }
        if (!whole.isEmpty()) {
            sentences.add((streams.isEmpty() ? "These" : "The others") + " keep each message whole: "
                    + cite.cite(boundaries, whole) + ".");
        }
        if (!undeclared.isEmpty()) {
            sentences.add("Message boundaries as measured: " + cite.cite(boundaries, undeclared) + ".");
        }
        return String.join(" ", sentences);
    }

    private static Optional<Kind> kind(Measurements m, String transport) {
        return m.descriptors.of(transport).map(TransportDescriptor::kind);
    }

    private static String crash(Measurements m, PropertyCitations cite) {
        Optional<String> crash = cite.property("crash");
        if (crash.isEmpty()) {
            return "What survives a crash was " + PropertyCitations.NOT_MEASURED + ".";
        }
        List<String> lost = cite.startingWith(crash, m.transports, "no");
        List<String> kept = cite.startingWith(crash, m.transports, "yes");
        List<String> rest = m.transports.stream().filter(t -> !lost.contains(t) && !kept.contains(t)).toList();
        List<String> sentences = new ArrayList<>();
        sentences.add("What survives a crash (SIGKILL while data waited)?");
        if (!lost.isEmpty()) {
            sentences.add("Bytes held only in open descriptors' kernel buffers die with the last holder: "
                    + cite.cite(crash, lost) + ".");
        }
        if (!kept.isEmpty()) {
            sentences.add("Messages kept outside any process waited for the next reader: "
                    + cite.cite(crash, kept) + ".");
        }
        if (!rest.isEmpty()) {
            sentences.add("For the others: " + cite.cite(crash, rest) + ".");
        }
        return String.join(" ", sentences);
    }

    /** Above this many transports, the set-up sentence names only the cheapest, the dearest and the lab's socket. */
    private static final int SETUP_LISTED = 6;

    /** Set-up: the socket's connection against each other transport's cheapest way in, JVM start-up named. */
    private static String setup(Measurements m) {
        List<SetupResult> rows = m.setupSorted();
        if (rows.isEmpty()) {
            return "Set-up cost was " + PropertyCitations.NOT_MEASURED + ".";
        }
        List<String> parts = new ArrayList<>();
        List<SetupResult> own = new ArrayList<>();
        List<String> jvm = new ArrayList<>();
        for (String transport : m.transports) {
            List<SetupResult> each = rows.stream().filter(r -> r.transport().equals(transport)).toList();
            each.stream().filter(r -> !m.descriptors.startsJvm(r)).findFirst().ifPresent(r -> {
                own.add(r);
                parts.add(Text.id(transport) + " " + Text.ms(Numbers.millis(r.p50())));
            });
            each.stream().filter(m.descriptors::startsJvm).forEach(r -> jvm.add(Text.id(transport) + " "
                    + Text.ms(Numbers.millis(r.p50())) + " (" + Markdown.escape(r.what()) + ")"));
        }
        String text = "Set-up to the first echo (median) took " + Text.join(parts) + ".";
        if (own.size() > SETUP_LISTED) {
            // many transports: the cheapest, the dearest and the lab's socket; every one is in the key table
            List<SetupResult> sorted = own.stream()
                    .sorted(java.util.Comparator.comparingDouble(r -> Numbers.millis(r.p50()))).toList();
            SetupResult cheapest = sorted.get(0);
            SetupResult dearest = sorted.get(sorted.size() - 1);
            Optional<SetupResult> socket = m.descriptors.labSocket(m.transports)
                    .flatMap(t -> own.stream().filter(r -> r.transport().equals(t)).findFirst());
            text = "Set-up to the first echo (median) ranged from " + Text.ms(Numbers.millis(cheapest.p50())) + " ("
                    + Text.id(cheapest.transport()) + ") to " + Text.ms(Numbers.millis(dearest.p50())) + " ("
                    + Text.id(dearest.transport()) + ")" + socket.filter(r -> r != cheapest && r != dearest)
                    .map(r -> "; " + Text.id(r.transport()) + " took " + Text.ms(Numbers.millis(r.p50()))).orElse("")
                    + ".";
        }
        if (!jvm.isEmpty() && own.size() <= SETUP_LISTED) {
            text += " Set-ups that start a Java child are mostly JVM start-up, not the mechanism: " + Text.join(jvm)
                    + ".";
        }
        return text;
    }

    /** Speed: the lab's socket against the fastest and slowest, per placement, then streaming. */
    private static String speed(Measurements m) {
        int size = m.referenceSize();
        Optional<String> socket = m.descriptors.labSocket(m.transports);
        List<String> sentences = new ArrayList<>();
        List<Placement> placements = m.pinnedPlacements().isEmpty() ? m.latencyPlacements : m.pinnedPlacements();
        for (Placement placement : placements) {
            // the broker's round trip is cited with reach, above: here the range of the others
            Optional<String> broker = broker(m);
            List<Measurements.Ranked> ranked = m.ranking(placement, size).stream()
                    .filter(r -> broker.isEmpty() || !r.transport().equals(broker.get())).toList();
            if (ranked.size() < 2) {
                continue;
            }
            Measurements.Ranked fastest = ranked.get(0);
            Measurements.Ranked slowest = ranked.get(ranked.size() - 1);
            String sentence = Text.capital(Text.where(placement)) + ", a " + Numbers.size(size) + " round trip took "
                    + Text.latency(fastest.p50Us()) + " over " + Text.id(fastest.transport())
                    + (m.spins(fastest.transport()) ? " (it spins while it waits)" : "") + " and "
                    + Text.latency(slowest.p50Us()) + " over " + Text.id(slowest.transport());
            Double ref = socket.map(s -> m.p50Us(s, placement, size)).orElse(null);
            if (ref != null && !socket.get().equals(fastest.transport()) && !socket.get().equals(slowest.transport())) {
                sentence += "; " + m.descriptors.name(socket.get()) + " took " + Text.latency(ref);
            }
            sentences.add(sentence + ".");
        }
        if (sentences.isEmpty()) {
            sentences.add("Round-trip latency was " + PropertyCitations.NOT_MEASURED + ".");
        } else if (socket.isPresent()) {
            sentences.add("A loopback " + m.descriptors.name(socket.get()) + " round trip still crosses the network "
                    + "stack, which a pipe or queue skips: the price of reaching other hosts.");
        }
        streaming(m, socket).ifPresent(sentences::add);
        return String.join(" ", sentences);
    }

    private static Optional<String> streaming(Measurements m, Optional<String> socket) {
        List<ThroughputResult> rows = m.throughputRows().stream().filter(r -> r.mibPerSecond() != null).toList();
        if (rows.isEmpty()) {
            return Optional.of("Streaming throughput was " + PropertyCitations.NOT_MEASURED + ".");
        }
        ThroughputResult top = rows.stream().max((a, b) -> Double.compare(Numbers.mibPerSecond(a.mibPerSecond()),
                Numbers.mibPerSecond(b.mibPerSecond()))).orElseThrow();
        String sentence = "Streaming " + Numbers.size(top.messageBytes()) + " writes, " + Text.id(top.transport())
                + " moved the most, " + Text.mibs(Numbers.mibPerSecond(top.mibPerSecond())) + " "
                + Text.where(top.placement());
        Optional<ThroughputResult> own = socket.flatMap(s -> rows.stream().filter(r -> r.transport().equals(s)
                && r.placement() == top.placement() && r.messageBytes() == top.messageBytes()).findFirst());
        if (own.isPresent() && own.get() != top) {
            sentence += ", against " + Text.mibs(Numbers.mibPerSecond(own.get().mibPerSecond())) + " for "
                    + m.descriptors.name(socket.get());
        }
        return Optional.of(sentence + ".");
    }
}

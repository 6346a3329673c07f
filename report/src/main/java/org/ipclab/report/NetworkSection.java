package org.ipclab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.chart.Charts;
import org.ipclab.report.chart.TransportPalette;
import org.ipclab.report.model.NetworkResult;
import org.ipclab.report.model.Results;

/**
 * "Across a network": what {@code ./ipc-lab across} measured between two network namespaces joined by an emulated
 * link. {@link #write} writes it as its own REPORT.md beside results.json and the chart.
 */
public final class NetworkSection {

    static final String CHART = "across-rtt.svg";
    static final String THROUGHPUT_CHART = "across-throughput.svg";
    /** The row of the stream with a fixed receive buffer (its size in sizeBytes); as the across client names it. */
    public static final String STREAM_FIXED_WINDOW = "stream, fixed receive buffer";
    static final String ANCHOR = "across-a-network";
    /** How the notes that belong to this section begin (the Unix-socket reach, the delay line's counters). */
    private static final List<String> NOTE_PREFIXES = List.of("The Unix-socket reach", "Measured: from host A",
            "Measured: against the agent",
            "The delay line's own counters", "Across a network:");

    private NetworkSection() {
    }

    /** Writes results.json, REPORT.md (this section alone) and charts/ into {@code outDir}; returns REPORT.md. */
    public static Path write(Results results, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        ReportWriter.writeJson(results, outDir.resolve(ReportWriter.RESULTS_FILE));
        Markdown md = new Markdown();
        md.heading(1, "ipc-lab across");
        render(md, new ChartWriter(outDir), results.network() == null ? List.of() : results.network(),
                results.notes() == null ? List.of() : results.notes());
        Path report = outDir.resolve(ReportWriter.REPORT_FILE);
        Files.writeString(report, md.toString(), StandardCharsets.UTF_8);
        return report;
    }

    /** True for a note this section shows itself (so the run's general notes need not repeat it). */
    static boolean isNetworkNote(String note) {
        return NOTE_PREFIXES.stream().anyMatch(note::startsWith);
    }

    /** The section inside a compare run's appendix, when the run measured across a link. */
    static void renderInAppendix(Markdown md, ChartWriter charts, Results results) throws IOException {
        if (results.network() == null || results.network().isEmpty()) {
            return;
        }
        md.anchor(ANCHOR);
        render(md, charts, results.network(), Measurements.list(results.notes()).stream()
                .filter(NetworkSection::isNetworkNote).toList());
    }

    static void render(Markdown md, ChartWriter charts, List<NetworkResult> rows, List<String> notes) throws IOException {
        if (rows.isEmpty()) {
            md.heading(2, "Across a network").paragraph("Nothing was measured across a link in this run.");
            notes.forEach(md::paragraph);
            return;
        }
        NetworkResult first = rows.get(0);
        List<String> links = rows.stream().map(NetworkSection::link).distinct().toList();
        boolean datagrams = rows.stream().anyMatch(r -> r.sent() != null);   // rows that count lost requests
        List<String> transports = rows.stream().map(r -> Text.id(r.transport())).distinct().toList();
        md.heading(2, "Across a network");
        if (first.remote()) {
            remote(md, rows, notes);
            return;
        }
        md.paragraph("Two network namespaces stood in for two hosts: each has its own interfaces, addresses, routes "
                + "and ports, so a client in host A (198.18.0.1) reaches ipc-lab's echo " + (transports.size() == 1
                ? "server (" : "servers (") + Text.join(transports) + ") in host B (198.18.0.2) only by packets. The link between them was emulated by "
                + "the " + first.emulator() + ": this kernel has no netem (the kernel's own delay and loss emulator), "
                + "so a small C program (`native/ipclab_delayline.c`) holds every packet between a TUN device in each "
                + "namespace for half the round trip each way, drops it with the configured probability and paces it "
                + "to the rate. Configured: " + (links.size() == 1 ? links.get(0) + " (round trip, rate, loss per "
                + "packet each way)" : links.size() + " links, " + Text.join(links)) + ".");
        md.table(table(rows, links.size() > 1, datagrams));
        chart(md, charts, rows, links);
        List<NetworkResult> trips = rows.stream().filter(r -> r.what().equals("round trip")).toList();
        if (!trips.isEmpty()) {
            md.paragraph("A round trip costs the link's round trip plus the time to put the bytes on the wire "
                    + "(serialisation: size / rate, both ways), plus the relay's own wake-ups. At "
                    + Numbers.format(first.rateMbit()) + " Mbit/s 64 KiB takes "
                    + Numbers.format(65536 * 8 / (first.rateMbit() * 1e3)) + " ms to serialise each way, and TCP "
                    + "needs several round trips to open its congestion window that far.");
        }
        udpParagraph(md, rows);
        find(rows, "connect").ifPresent(c -> md.paragraph("A TCP connect took " + Numbers.format(Numbers.millis(c.p50()))
                + " ms (p50): connect() returns when the server's SYN-ACK is back, one round trip."));
        find(rows, "stream").ifPresent(s -> {
            long bdp = Math.round(s.rateMbit() * 1e6 / 8 * s.rttMs() / 1000);
            md.paragraph("Streaming 64 KiB writes echoed back: " + Numbers.format(s.throughput().value())
                    + " Mbit/s each way against a rate of " + Numbers.format(s.rateMbit()) + " Mbit/s. The "
                    + "bandwidth-delay product (rate × round trip: the bytes that must be in flight to keep the link "
                    + "busy) is " + Numbers.size(bdp) + "; TCP fills the link when its window and the socket buffers "
                    + "are at least that large, and is window-limited below it."
                    + (s.retransmits() > 0 && s.lossPercent() == 0 ? " With no loss configured the stream still "
                    + "needed " + Numbers.count(s.retransmits()) + " retransmissions: like a router, the delay line "
                    + "holds a bounded queue in front of its rate (the larger of 64 KiB and the bandwidth-delay "
                    + "product) and drops what does not fit, and TCP's congestion control grows its window until "
                    + "that queue overflows; the relay's own queue_drops below count those packets." : ""));
        });
        find(rows, STREAM_FIXED_WINDOW).ifPresent(w -> {
            double ceiling = windowCeilingMbit(w.sizeBytes(), w.rttMs());
            long bdp = Math.round(w.rateMbit() * 1e6 / 8 * w.rttMs() / 1000);
            md.paragraph("The same stream with the client's receive buffer fixed at " + Numbers.size(w.sizeBytes())
                    + " (SO_RCVBUF before connect(), which turns the kernel's autotuning off): the client then "
                    + "advertises a window of about that much, and the echo can carry at most one window per round "
                    + "trip, " + Numbers.size(w.sizeBytes()) + " / " + Numbers.format(w.rttMs()) + " ms = "
                    + Numbers.format(ceiling) + " Mbit/s. Measured: " + Numbers.format(w.throughput().value())
                    + " Mbit/s" + (w.throughput().value() <= ceiling * 1.05 ? ", within that ceiling. "
                    : ", above that estimate: the kernel advertised more window than the buffer asked for. ")
                    + (ceiling < w.rateMbit()
                    ? "That is below the rate: the window, smaller than the bandwidth-delay product (" + Numbers.size(bdp)
                    + "), limits this stream, and the link sits idle part of every round trip."
                    : "The window is larger than the bandwidth-delay product (" + Numbers.size(bdp) + ") here, so the "
                    + "rate, not the window, is the limit; at a longer round trip the same window would be."));
        });
        throughputChart(md, charts, rows);
        Optional<NetworkResult> nagle = find(rows, "small writes, Nagle on");
        Optional<NetworkResult> noDelay = find(rows, "small writes, TCP_NODELAY");
        if (nagle.isPresent() && noDelay.isPresent()) {
            md.paragraph("Write, write, read (two 10 B pieces, then the 20 B reply): " + Numbers.format(
                    Numbers.millis(nagle.get().p50())) + " ms with Nagle's algorithm on (the default) and "
                    + Numbers.format(Numbers.millis(noDelay.get().p50())) + " ms with TCP_NODELAY. Nagle holds the "
                    + "second small piece until the first is acknowledged. Here the echo of the first piece carries "
                    + "that acknowledgement, so the cost is one extra round trip; against a server that replies only "
                    + "to the whole request, the acknowledgement waits for the delayed-ACK timer (about 40 ms on "
                    + "Linux) instead.");
        }
        md.paragraph("What a network namespace separates: interfaces, addresses, routes, ports, /proc/net counters "
                + "and net.* sysctls. What it does not: the file system, so a Unix socket bound to a path in one "
                + "namespace is reachable from another that sees the same path; an abstract Unix socket "
                + "(a name starting with a zero byte) belongs to one network namespace and is not. This run tried both; "
                + "what it saw is the first note below.");
        notes.forEach(md::paragraph);
    }

    /**
     * Against a real second host ({@code compare --remote}): nothing was configured, so there is no configured round
     * trip to compare with; the 64 B round trip is the network's own round trip plus both hosts' stacks.
     */
    private static void remote(Markdown md, List<NetworkResult> rows, List<String> notes) {
        md.paragraph("Measured against a real second host: `./ipc-lab agent` there started ipc-lab's TCP and UDP echo "
                + "servers, and the measuring clients ran here. Nothing was emulated: the round trip, rate and loss "
                + "are the network's own (" + first(rows).emulator() + "). Retransmits count every TCP segment "
                + "this host retransmitted meanwhile, so on a busy host they include other traffic.");
        md.table(table(rows, false, rows.stream().anyMatch(r -> r.sent() != null)));
        find(rows, "connect").ifPresent(c -> md.paragraph("A TCP connect took " + Numbers.format(Numbers.millis(c.p50()))
                + " ms (p50): connect() returns when the server's SYN-ACK is back, one round trip of this network."));
        udpParagraph(md, rows);
        notes.forEach(md::paragraph);
    }

    /** One row per measurement; a link column when several links were measured, lost requests for datagram rows. */
    private static MarkdownTable table(List<NetworkResult> rows, boolean linkColumn, boolean datagrams) {
        List<String> header = new java.util.ArrayList<>(List.of("transport", "what", "size"));
        if (linkColumn) {
            header.add("link");
        }
        header.addAll(List.of("p50 (ms)", "p99 (ms)", "throughput (Mbit/s)", datagrams ? "retransmits / lost" : "retransmits"));
        MarkdownTable table = new MarkdownTable(header.toArray(String[]::new)).rightAlignFrom(2);
        for (NetworkResult r : rows) {
            List<String> cells = new java.util.ArrayList<>(List.of(Text.id(r.transport()), r.what(),
                    r.sizeBytes() == 0 ? "" : Numbers.size(r.sizeBytes())));
            if (linkColumn) {
                cells.add(link(r));
            }
            cells.addAll(List.of(r.p50() == null ? "" : Numbers.format(Numbers.millis(r.p50())),
                    r.p99() == null ? "" : Numbers.format(Numbers.millis(r.p99())),
                    r.throughput() == null ? "" : Numbers.format(r.throughput().value()),
                    r.lost() != null ? Numbers.count(r.lost()) + " of " + Numbers.count(r.sent()) + " lost"
                            : r.retransmits() < 0 ? "" : Numbers.count(r.retransmits())));
            table.row(cells.toArray(String[]::new));
        }
        return table;
    }

    private static NetworkResult first(List<NetworkResult> rows) {
        return rows.get(0);
    }

    /** "rtt 2 ms, 100 Mbit/s, loss 0 %": the link a row was measured on. */
    private static String link(NetworkResult r) {
        return "rtt " + Numbers.format(r.rttMs()) + " ms, " + Numbers.format(r.rateMbit()) + " Mbit/s, loss "
                + Numbers.format(r.lossPercent()) + " %";
    }

    /**
     * One link: measured p50 against the configured round trip by message size (tcp). Several links: the 64 B p50 of
     * each transport against the configured round trip, one point per link without loss.
     */
    private static void chart(Markdown md, ChartWriter charts, List<NetworkResult> rows, List<String> links) throws IOException {
        List<NetworkResult> trips = rows.stream().filter(r -> r.what().equals("round trip")).toList();
        if (trips.isEmpty()) {
            return;
        }
        if (links.size() == 1) {
            // the first transport's round trips (a stream's: they go up to 64 KiB)
            List<NetworkResult> shown = trips.stream().filter(r -> r.transport().equals(trips.get(0).transport())).toList();
            List<String> sizes = shown.stream().map(r -> Numbers.size(r.sizeBytes())).toList();
            List<Double> measured = shown.stream().map(r -> r.p50() == null ? null : Numbers.millis(r.p50())).toList();
            List<Double> configured = shown.stream().map(NetworkResult::rttMs).toList();
            TransportPalette palette = TransportPalette.of(List.of("measured", "configured"), id -> null);
            String link = charts.write(CHART, Charts.lines(palette, "Round trip across the link",
                    "measured p50 (" + shown.get(0).transport() + ") against the configured round trip", "message size",
                    "round trip (ms)", sizes, List.of(new Charts.Line("measured", "measured p50", measured, false, true),
                            new Charts.Line("configured", "configured RTT", configured, true, true)), false));
            md.image("Measured round trip against the configured one, by message size", link);
            return;
        }
        List<Double> rtts = trips.stream().filter(r -> r.lossPercent() == 0).map(NetworkResult::rttMs).distinct().sorted().toList();
        List<String> transports = trips.stream().map(NetworkResult::transport).distinct().toList();
        List<Charts.Line> lines = new java.util.ArrayList<>();
        for (String t : transports) {
            lines.add(new Charts.Line(t, t + " 64 B p50", rtts.stream().map(rtt -> trips.stream()
                    .filter(r -> r.transport().equals(t) && r.sizeBytes() == 64 && r.lossPercent() == 0 && r.rttMs() == rtt)
                    .findFirst().map(r -> r.p50() == null ? null : Numbers.millis(r.p50())).orElse(null)).toList(), false, true));
        }
        lines.add(new Charts.Line("configured", "configured RTT", rtts, true, true));
        List<String> ids = new java.util.ArrayList<>(transports);
        ids.add("configured");
        TransportPalette palette = TransportPalette.of(ids, id -> null);
        String link = charts.write(CHART, Charts.lines(palette, "Round trip across the link",
                "64 B p50 against the configured round trip, links without loss", "configured round trip (ms)",
                "round trip (ms)", rtts.stream().map(Numbers::format).toList(), lines, true));
        md.image("Measured 64 B round trip against the configured one, by link", link);
    }

    /**
     * UDP: no handshake, no resend. With loss p each way a request and its echo both arrive with (1-p)^2; a datagram
     * larger than the MTU travels as fragments, and losing any one loses all of it.
     */
    private static void udpParagraph(Markdown md, List<NetworkResult> rows) {
        List<NetworkResult> udp = rows.stream().filter(r -> r.sent() != null && r.sent() > 0).toList();   // datagrams
        if (udp.isEmpty()) {
            return;
        }
        List<String> parts = new java.util.ArrayList<>();
        for (NetworkResult r : udp) {
            long fragments = Math.max(1, (long) Math.ceil(r.sizeBytes() / (double) FRAGMENT_PAYLOAD_BYTES));
            double arrives = Math.pow(1 - r.lossPercent() / 100, 2 * fragments);
            parts.add(Numbers.size(r.sizeBytes()) + (links(rows) > 1 ? " at " + link(r) : "") + ": "
                    + Numbers.count(r.lost()) + " of " + Numbers.count(r.sent()) + " lost ("
                    + Numbers.format(100.0 * r.lost() / r.sent()) + " %"
                    + (r.lossPercent() > 0 ? "; expected " + Numbers.format(100 * (1 - arrives)) + " % for "
                    + fragments + (fragments == 1 ? " packet" : " fragments") + " each way" : "") + ")");
        }
        md.paragraph("UDP sends each message as one datagram: no connect (so no connect row), no acknowledgement, no "
                + "resend. A request or its echo that the link drops is simply gone, and the client counted a request "
                + "as lost when no echo came within four round trips (at least 250 ms). " + Text.capital(Text.join(parts))
                + ". A datagram larger than the link's MTU (1,500 B) travels as IP fragments, and losing any one of "
                + "them loses the whole datagram, so large datagrams suffer most from loss. TCP hides the same losses "
                + "by resending, and pays for them in time (its p99 and retransmits).");
    }

    /** Mbit/s that one window of {@code windowBytes} per round trip carries: the window-limited ceiling. */
    private static double windowCeilingMbit(long windowBytes, double rttMs) {
        return rttMs <= 0 ? Double.POSITIVE_INFINITY : windowBytes * 8 / (rttMs / 1000) / 1e6;
    }

    /**
     * With several round trips (links without loss): streaming throughput against the round trip, beside the rate and
     * the ceiling one fixed window per round trip allows - where that ceiling crosses the rate, the window equals the
     * bandwidth-delay product.
     */
    private static void throughputChart(Markdown md, ChartWriter charts, List<NetworkResult> rows) throws IOException {
        List<NetworkResult> streams = rows.stream().filter(r -> r.lossPercent() == 0 && r.throughput() != null).toList();
        List<Double> rtts = streams.stream().map(NetworkResult::rttMs).distinct().sorted().toList();
        Optional<NetworkResult> fixed = find(streams, STREAM_FIXED_WINDOW);
        if (rtts.size() < 2 || fixed.isEmpty()) {
            return;
        }
        long window = fixed.get().sizeBytes();
        java.util.function.BiFunction<String, Double, Double> at = (what, rtt) -> streams.stream()
                .filter(r -> r.what().equals(what) && r.rttMs() == rtt).findFirst()
                .map(r -> r.throughput().value()).orElse(null);
        List<Charts.Line> lines = List.of(
                new Charts.Line("stream", "autotuned buffers", rtts.stream().map(r -> at.apply("stream", r)).toList(), false, true),
                new Charts.Line("fixed", Numbers.size(window) + " receive buffer",
                        rtts.stream().map(r -> at.apply(STREAM_FIXED_WINDOW, r)).toList(), false, true),
                new Charts.Line("ceiling", "one " + Numbers.size(window) + " window per round trip",
                        rtts.stream().map(r -> Math.min(windowCeilingMbit(window, r), 10 * fixed.get().rateMbit())).toList(), true, true),
                new Charts.Line("rate", "the link's rate", rtts.stream().map(r -> fixed.get().rateMbit()).toList(), true, true));
        TransportPalette palette = TransportPalette.of(List.of("stream", "fixed", "ceiling", "rate"), id -> null);
        String link = charts.write(THROUGHPUT_CHART, Charts.lines(palette, "Streaming across the link",
                "echoed Mbit/s against the round trip; the window limits where its ceiling is below the rate",
                "configured round trip (ms)", "throughput (Mbit/s)", rtts.stream().map(Numbers::format).toList(), lines, true));
        md.image("Streaming throughput against the round trip, beside the rate and a fixed window's ceiling", link);
    }

    /** Bytes of one IPv4 fragment's payload on a 1,500 B MTU: 1,500 minus the 20 B IP header, a multiple of 8. */
    private static final int FRAGMENT_PAYLOAD_BYTES = 1480;

    private static long links(List<NetworkResult> rows) {
        return rows.stream().map(NetworkSection::link).distinct().count();
    }

    private static Optional<NetworkResult> find(List<NetworkResult> rows, String what) {
        return rows.stream().filter(r -> r.what().equals(what)).findFirst();
    }
}

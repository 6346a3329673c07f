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
    static final String ANCHOR = "across-a-network";
    /** How the notes that belong to this section begin (the Unix-socket reach, the delay line's counters). */
    private static final List<String> NOTE_PREFIXES = List.of("The Unix-socket reach", "Measured: from host A",
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
        md.heading(2, "Across a network");
        md.paragraph("Two network namespaces stood in for two hosts: each has its own interfaces, addresses, routes "
                + "and ports, so a client in host A (198.18.0.1) reaches the TCP echo server in host B (198.18.0.2) "
                + "only by packets. The link between them was emulated by the " + first.emulator() + ": this "
                + "kernel has no netem (the kernel's own delay and loss emulator), so a small C program "
                + "(`native/ipclab_delayline.c`) holds every packet between a TUN device in each namespace for half "
                + "the round trip each way, drops it with the configured probability and paces it to the rate. "
                + "Configured: round trip " + Numbers.format(first.rttMs()) + " ms, rate "
                + Numbers.format(first.rateMbit()) + " Mbit/s, loss " + Numbers.format(first.lossPercent())
                + " % per packet each way. Only TCP was measured: ipc-lab has no UDP transport yet.");
        MarkdownTable table = new MarkdownTable("what", "size", "p50 (ms)", "p99 (ms)", "throughput (Mbit/s)",
                "retransmits").rightAlignFrom(1);
        for (NetworkResult r : rows) {
            table.row(r.what(), r.sizeBytes() == 0 ? "" : Numbers.size(r.sizeBytes()),
                    r.p50() == null ? "" : Numbers.format(Numbers.millis(r.p50())),
                    r.p99() == null ? "" : Numbers.format(Numbers.millis(r.p99())),
                    r.throughput() == null ? "" : Numbers.format(r.throughput().value()),
                    r.retransmits() < 0 ? "" : Numbers.count(r.retransmits()));
        }
        md.table(table);
        List<NetworkResult> trips = rows.stream().filter(r -> r.what().equals("round trip")).toList();
        if (!trips.isEmpty()) {
            List<String> sizes = trips.stream().map(r -> Numbers.size(r.sizeBytes())).toList();
            List<Double> measured = trips.stream().map(r -> Numbers.millis(r.p50())).toList();
            List<Double> configured = trips.stream().map(r -> r.rttMs()).toList();
            TransportPalette palette = TransportPalette.of(List.of("measured", "configured"), id -> null);
            String link = charts.write(CHART, Charts.lines(palette, "Round trip across the link",
                    "measured p50 against the configured round trip", "message size", "round trip (ms)", sizes,
                    List.of(new Charts.Line("measured", "measured p50", measured, false, true),
                            new Charts.Line("configured", "configured RTT", configured, true, true)), false));
            md.image("Measured round trip against the configured one, by message size", link);
            md.paragraph("A round trip costs the link's round trip plus the time to put the bytes on the wire "
                    + "(serialisation: size / rate, both ways), plus the relay's own wake-ups. At "
                    + Numbers.format(first.rateMbit()) + " Mbit/s 64 KiB takes "
                    + Numbers.format(65536 * 8 / (first.rateMbit() * 1e3)) + " ms to serialise each way, and TCP "
                    + "needs several round trips to open its congestion window that far.");
        }
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

    private static Optional<NetworkResult> find(List<NetworkResult> rows, String what) {
        return rows.stream().filter(r -> r.what().equals(what)).findFirst();
    }
}

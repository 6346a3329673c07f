package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.ipclab.report.model.NetworkResult;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "Across a network" report: its table, chart and sentences come from results.json's network rows. */
class AcrossReportTest {

    @TempDir
    Path dir;

    @Test
    void theSectionSaysWhatTheLinkWasAndWhatWasMeasured() throws Exception {
        List<NetworkResult> rows = List.of(
                row("connect", 0, 11.6, 17.3, null),
                row("round trip", 64, 10.9, 13.7, null),
                row("round trip", 65536, 39.1, 43.5, null),
                row("small writes, Nagle on", 20, 21.4, 27.1, null),
                row("small writes, TCP_NODELAY", 20, 10.7, 12.7, null),
                row("stream", 65536, 0, 0, Quantity.of(19.1, "Mbit/s")));
        Results results = new Results(Results.SCHEMA, new Results.RunInfo("2026-12-07T03:00:00Z", 9, "quick", Map.of(),
                "ipc-lab across", "test"), null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null,
                List.of(), List.of("pathname connected; abstract ConnectionRefusedError"), null, null, null, null, null,
                null, rows);
        String report = Files.readString(NetworkSection.write(results, dir));
        assertTrue(report.contains("## Across a network"), report);
        assertTrue(report.contains("TUN delay line") && report.contains("no netem"), report);
        assertTrue(report.contains("| round trip | 64 B | 10.9 | 13.7 |"), report);
        assertTrue(report.contains("19.1 Mbit/s each way against a rate of 20 Mbit/s"), report);
        assertTrue(report.contains("bandwidth-delay product") && report.contains("25000 B"), report);
        assertTrue(report.contains("21.4 ms with Nagle"), report);
        assertTrue(report.contains("abstract ConnectionRefusedError"), report);
        assertTrue(Files.exists(dir.resolve("charts/" + NetworkSection.CHART)));
        assertTrue(Files.readString(dir.resolve("results.json")).contains("\"network\""));
    }

    @Test
    void aCompareRunThatCrossedALinkShowsItInTheAppendixAndCitesItInAnswer1() throws Exception {
        Results base = ResultsFixture.allSix().build();
        List<String> notes = new java.util.ArrayList<>(Measurements.list(base.notes()));
        notes.add("Measured: from host A, a connect to Unix sockets listening in host B gave: pathname connected; "
                + "abstract ConnectionRefusedError Connection refused.");
        Results crossed = new Results(base.schema(), base.run(), base.environment(), base.transports(), base.latency(),
                base.throughput(), base.setup(), base.cpu(), base.properties(), base.backlog(), base.nativeFloor(),
                notes, base.previous(), base.descriptors(), base.lab(), base.serverModels(), base.serverMemory(),
                base.rounds(), List.of(row("round trip", 64, 2.41, 2.79, null), row("stream", 65536, 0, 0,
                        Quantity.of(93.9, "Mbit/s"))));
        ReportWriter.Written written = ReportWriter.write(crossed, dir);
        String appendix = Files.readString(written.appendix());
        String record = Files.readString(written.report());
        assertTrue(appendix.contains("<a id=\"" + NetworkSection.ANCHOR + "\"></a>") && appendix.contains("## Across a network"),
                "the appendix has the section");
        assertEquals(1, appendix.split("abstract ConnectionRefusedError", -1).length - 1,
                "the reach note is shown once, in the section, not again among the run's notes");
        String answer1 = record.substring(record.indexOf("### Answer 1"), record.indexOf("### Answer 2"));
        assertTrue(answer1.contains("a 64 B TCP echo took 2.41 ms"), answer1);
        assertTrue(answer1.contains("over an emulated 10 ms, 20 Mbit/s link"), answer1);

        ReportWriter.Written plain = ReportWriter.write(base, dir.resolve("plain"));
        assertFalse(Files.readString(plain.appendix()).contains("## Across a network"), "no link, no section");
        assertFalse(Files.readString(plain.report()).contains("network namespaces as hosts"), "no link, no claim");
    }

    @Test
    void aSweepOfLinksWithUdpAndAFixedWindowShowsLossTheWindowCeilingAndBothCharts() throws Exception {
        List<NetworkResult> rows = new java.util.ArrayList<>();
        for (double rtt : List.of(1.0, 10.0)) {
            rows.add(at("tcp", "round trip", rtt, 0, 64, 1.2 * rtt, null, null));
            rows.add(at("tcp", "stream", rtt, 0, 65536, 0, Quantity.of(93, "Mbit/s"), null));
            rows.add(at("tcp", NetworkSection.STREAM_FIXED_WINDOW, rtt, 0, 65536, 0,
                    Quantity.of(rtt == 1 ? 92 : 40, "Mbit/s"), null));
            rows.add(at("udp", "round trip", rtt, 0, 64, 1.1 * rtt, null, 0L));
        }
        rows.add(at("udp", "round trip", 10, 2, 8192, 14, null, 7L));
        Results results = new Results(Results.SCHEMA, new Results.RunInfo("2026-12-07T03:00:00Z", 9, "full", Map.of(),
                "ipc-lab across", "test"), null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), null,
                List.of(), List.of(), null, null, null, null, null, null, rows);
        String report = Files.readString(NetworkSection.write(results, dir));
        assertTrue(report.contains("| transport | what | size | link |"), "a link column when several links: " + report);
        assertTrue(report.contains("| `udp` | round trip | 8 KiB | rtt 10 ms, 100 Mbit/s, loss 2 % |"), report);
        assertTrue(report.contains("7 of 30 lost"), report);
        // six fragments each way at 2 % loss each: 1 - 0.98^12 = 21.5 %
        assertTrue(report.contains("expected 21.5 % for 6 fragments each way"), report);
        assertTrue(report.contains("64 KiB / 1 ms = 524 Mbit/s"), report);
        assertTrue(Files.exists(dir.resolve("charts/" + NetworkSection.CHART)));
        assertTrue(Files.exists(dir.resolve("charts/" + NetworkSection.THROUGHPUT_CHART)));
    }

    @Test
    void aRemoteRunSaysNothingWasEmulated() throws Exception {
        NetworkResult r = new NetworkResult("tcp", "round trip", 0, 0, 0, 64, Quantity.of(0.4, "ms"), Quantity.of(0.9, "ms"),
                null, 0, true, "none: a real network", null, null);
        Results results = new Results(Results.SCHEMA, new Results.RunInfo("2026-12-07T03:00:00Z", 9, "quick", Map.of(),
                "ipc-lab compare --remote", "test"), null, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                null, List.of(), List.of(), null, null, null, null, null, null, List.of(r));
        String report = Files.readString(NetworkSection.write(results, dir));
        assertTrue(report.contains("Measured against a real second host") && report.contains("Nothing was emulated"), report);
        assertFalse(report.contains("configured"), "no configured link to speak of: " + report);
    }

    private static NetworkResult at(String transport, String what, double rtt, double loss, int size, double p50,
                                    Quantity throughput, Long lost) {
        return new NetworkResult(transport, what, rtt, 100, loss, size, p50 > 0 ? Quantity.of(p50, "ms") : null,
                p50 > 0 ? Quantity.of(p50 * 1.3, "ms") : null, throughput, transport.equals("udp") ? -1 : 0, false,
                "TUN delay line", lost, lost == null ? null : 30L);
    }

    private static NetworkResult row(String what, int size, double p50, double p99, Quantity throughput) {
        return new NetworkResult("tcp", what, 10, 20, 0, size, throughput != null ? null : Quantity.of(p50, "ms"),
                throughput != null ? null : Quantity.of(p99, "ms"), throughput, 0, false, "TUN delay line", null, null);
    }
}

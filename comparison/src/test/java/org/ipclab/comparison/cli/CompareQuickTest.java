package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.ipclab.core.TransportIds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./ipc-lab compare --quick}, end to end: every transport is measured (or listed as skipped with a
 * reason), every echo verified, and the report directory is complete.
 */
class CompareQuickTest {

    @TempDir
    Path out;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void quickCompareMeasuresEveryTransportAndWritesTheReport() throws Exception {
        Cli.Result result = Cli.run("compare", "--quick", "--no-progress", "--out", out.toString());
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("Report: "), result.toString());

        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals("ipc-lab/results/v1", results.get("schema").asText());
        List<String> measured = new ArrayList<>();
        for (JsonNode transport : results.get("transports")) {
            String status = transport.get("status").asText();
            if (status.equals("measured")) {
                measured.add(transport.get("id").asText());
            } else {
                assertFalse(transport.get("reason").asText().isBlank(), "a skipped or failed transport says why: " + transport);
            }
        }
        for (String id : TransportIds.ALL) {
            assertTrue(results.get("transports").findValuesAsText("id").contains(id), id + " is listed");
        }
        assertTrue(measured.containsAll(List.of("tcp", "unix")), "sockets run on every Linux: " + measured);

        for (String id : measured) {
            List<JsonNode> latency = new ArrayList<>();
            results.get("latency").forEach(l -> {
                if (l.get("transport").asText().equals(id)) {
                    latency.add(l);
                }
            });
            assertFalse(latency.isEmpty(), id + " has latency numbers");
            for (JsonNode l : latency) {
                assertTrue(l.get("samples").asLong() > 0, l.toString());
                assertTrue(l.get("verified").asLong() >= l.get("samples").asLong(),
                        "every sampled round trip was verified: " + l);
                double p50 = l.get("p50").get("value").asDouble();
                double p99 = l.get("p99").get("value").asDouble();
                assertTrue(p50 > 0 && p50 <= p99 && p99 <= l.get("max").get("value").asDouble(), l.toString());
                assertEquals("us", l.get("p50").get("unit").asText());
            }
            // a transport that declares it cannot stream (udp: no echoed stream of datagrams) has none, and says why
            boolean streams = org.ipclab.core.Transports.byId(id).descriptor().limits().streams();
            assertEquals(streams, results.get("throughput").findValuesAsText("transport").contains(id),
                    id + (streams ? " has throughput" : " has no throughput: it declares it cannot stream"));
            assertTrue(results.get("setup").findValuesAsText("transport").contains(id), id + " has a set-up cost");
        }
        results.get("throughput").forEach(t -> assertTrue(t.get("verifiedBytes").asLong() >= t.get("streamBytes").asLong(), t.toString()));

        String report = Files.readString(out.resolve("REPORT.md")) + Files.readString(out.resolve("APPENDIX.md"));
        for (String section : List.of("## Aim", "## Objective", "## Environment", "## Method", "## Results",
                "## Analysis", "### Answer 1", "### Answer 2", "## Conclusion", "## Comments")) {
            assertTrue(report.contains(section), "REPORT.md has " + section);
        }
        for (String id : measured) {
            assertTrue(report.contains("`" + id + "`"), "REPORT.md names " + id);
        }
        assertTrue(report.contains("](charts/sequence-"), "the method has sequence diagrams");
        // the headline sentence is computed from this run's numbers, not typed in
        JsonNode tcp64 = null;
        for (JsonNode l : results.get("latency")) {
            if (l.get("transport").asText().equals("tcp") && l.get("sizeBytes").asInt() == 64
                    && l.get("placement").asText().equals("SAME_CPU")) {
                tcp64 = l;
            }
        }
        if (tcp64 != null) {
            assertTrue(report.contains("a 64 B TCP round trip costs"), "the report states what a TCP round trip costs");
        }
        assertTrue(results.get("properties").size() > 0, "the property matrix was measured");
        assertTrue(results.get("backlog") != null && !results.get("backlog").isNull(), "the backlog sweep ran");
        try (var charts = Files.list(out.resolve("charts"))) {
            List<Path> svgs = charts.filter(f -> f.toString().endsWith(".svg")).toList();
            assertTrue(svgs.size() >= 4, "charts were written: " + svgs);
            for (Path svg : svgs) {
                assertTrue(Files.readString(svg).contains("<svg"), svg + " is an SVG");
                assertTrue(report.contains("charts/" + svg.getFileName()), "REPORT.md shows " + svg.getFileName());
            }
        }

        // The same record to open in a browser and to hand in (HandInDocumentsTest checks them in depth).
        for (String page : List.of("REPORT.html", "APPENDIX.html")) {
            String html = Files.readString(out.resolve(page));
            assertTrue(html.contains("<svg") && !html.contains("<img"), page + " carries its charts inline");
        }
        try (org.apache.pdfbox.pdmodel.PDDocument pdf = org.apache.pdfbox.Loader.loadPDF(out.resolve("REPORT.pdf").toFile())) {
            assertTrue(pdf.getNumberOfPages() >= 3, "REPORT.pdf has at least three pages, not " + pdf.getNumberOfPages());
        }

        assertTrue(Files.isDirectory(out.resolve("jmh")), "JMH's raw results are kept");
        try (var files = Files.list(out.resolve("jmh"))) {
            assertTrue(files.anyMatch(f -> f.toString().endsWith(".json")));
        }
        double took = results.get("run").get("durationS").asDouble();
        System.out.printf("compare --quick took %.0f s for %s%n", took, measured);
    }
}

package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.report.model.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Renders the fixtures into {@code target/example-report/} so a person can look at a whole report and its charts
 * (e.g. {@code rsvg-convert target/example-report/six/charts/latency-same-cpu.svg > /tmp/latency.png}), and renders
 * the repository's example results.json again, as {@code ./ipc-lab report} does with an old file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExampleReportTest {

    private static final Path EXAMPLE = Path.of("..", "docs", "example-report");

    @Test
    void renderTheFixturesForAPersonToLookAt() throws IOException {
        Path out = Path.of("target", "example-report");
        ReportWriter.write(ResultsFixture.threeTransports().build(), out.resolve("three"));
        ReportWriter.Written six = ReportWriter.write(ResultsFixture.allSix().build(), out.resolve("six"));
        String report = Files.readString(six.report()) + Files.readString(six.appendix());
        assertEquals(headings(report).get(0), "# Lab record: socket programming and other IPC mechanisms");
        for (String id : List.of("tcp", "unix", "pipe", "fifo", "chronicle", "posix-mq")) {
            assertTrue(report.contains("**`" + id + "`**"), id + " has its paragraph under How each transport works");
        }
        assertEquals(7, six.charts().size(), six.charts().toString());
    }

    /**
     * The example was written before results.json carried descriptors: it still renders, with the same sections in
     * the same order and the same charts as the REPORT.md committed beside it.
     */
    @Test
    void theExampleResultsFromBeforeDescriptorsStillRender(@TempDir Path out) throws IOException {
        Results old = ReportWriter.read(EXAMPLE.resolve(ReportWriter.RESULTS_FILE));
        assertEquals(null, old.descriptors(), "the example predates descriptors");
        ReportWriter.Written written = ReportWriter.write(old, out);
        String committed = Files.readString(EXAMPLE.resolve(ReportWriter.REPORT_FILE));
        String again = Files.readString(written.report());
        assertEquals(headings(committed), headings(again));
        assertEquals(headings(Files.readString(EXAMPLE.resolve(ReportWriter.APPENDIX_FILE))),
                headings(Files.readString(written.appendix())));
        again += Files.readString(written.appendix());
        try (var charts = Files.list(EXAMPLE.resolve("charts"))) {
            assertEquals(charts.map(p -> p.getFileName().toString()).sorted().toList(),
                    written.charts().stream().map(p -> p.getFileName().toString()).sorted().toList());
        }
        for (String id : List.of("tcp", "unix", "pipe", "fifo", "chronicle", "posix-mq")) {
            assertTrue(again.contains("**`" + id + "`**"), id);
        }
    }

    private static List<String> headings(String markdown) {
        return markdown.lines().filter(l -> l.startsWith("#")).toList();
    }
}

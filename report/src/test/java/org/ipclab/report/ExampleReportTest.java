package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Renders the fixtures into {@code target/example-report/} so a person can look at a whole report and its charts
 * (e.g. {@code rsvg-convert target/example-report/six/charts/latency-same-cpu.svg > /tmp/latency.png}).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExampleReportTest {

    @Test
    void renderTheFixturesForAPersonToLookAt() throws IOException {
        Path out = Path.of("target", "example-report");
        ReportWriter.write(ResultsFixture.threeTransports().build(), out.resolve("three"));
        ReportWriter.write(ResultsFixture.allSix().build(), out.resolve("six"));
        assertTrue(Files.size(out.resolve("six").resolve(ReportWriter.REPORT_FILE)) > 10_000);
    }
}

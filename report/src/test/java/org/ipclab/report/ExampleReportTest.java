package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

    @Test
    void renderTheFixturesForAPersonToLookAt() throws IOException {
        Path out = Path.of("target", "example-report");
        ReportWriter.write(ResultsFixture.threeTransports().build(), out.resolve("three"));
        ReportWriter.Written six = ReportWriter.write(ResultsFixture.allSix().build(), out.resolve("six"));
        String report = Files.readString(six.report()) + Files.readString(six.appendix());
        assertTrue(headings(report).get(0).startsWith("# Lab record"), "the report opens with its title: " + headings(report));
        for (String id : List.of("tcp", "unix", "pipe", "fifo", "chronicle", "posix-mq")) {
            assertTrue(report.contains("`" + id + "`"), id + " is named in the report");
        }
        assertFalse(six.charts().isEmpty(), "the fixture of six transports has charts");
        assertEquals(six.charts().stream().map(p -> "charts/" + p.getFileName()).sorted().toList(),
                chartLinks(report).stream().distinct().sorted().toList(), "the report and its appendix link every chart drawn");
    }

    /**
     * The committed example is what the report renders from its own results.json: the file parses with the
     * report's model, REPORT.md rendered from it again has the same headings in the same order and links the same
     * charts as the committed one, every chart the committed REPORT.md links exists beside it, and no chart is
     * there that it does not link. It compares structure, not text, so it holds when the sections' prose changes
     * and when the example is regenerated.
     */
    @Test
    void theCommittedExampleIsWhatItsResultsRender(@TempDir Path out) throws IOException {
        Results example = ReportWriter.read(EXAMPLE.resolve(ReportWriter.RESULTS_FILE));
        assertEquals(Results.SCHEMA, example.schema());
        assertFalse(example.transports().isEmpty(), "the example's results.json names its transports");
        ReportWriter.Written written = ReportWriter.write(example, out);
        assertEquals(example, ReportWriter.read(written.results()), "results.json reads back as it was written");

        String committed = Files.readString(EXAMPLE.resolve(ReportWriter.REPORT_FILE));
        String again = Files.readString(written.report());
        String committedAppendix = Files.readString(EXAMPLE.resolve(ReportWriter.APPENDIX_FILE));
        assertFalse(headings(committed).isEmpty(), "the committed REPORT.md has headings");
        assertEquals(headings(committed), headings(again),
                "the committed REPORT.md has the sections its results.json renders (regenerate docs/example-report)");
        assertEquals(headings(committedAppendix), headings(Files.readString(written.appendix())),
                "the committed APPENDIX.md has the sections its results.json renders (regenerate docs/example-report)");
        committed += committedAppendix;
        again += Files.readString(written.appendix());
        assertEquals(chartLinks(committed), chartLinks(again), "the same charts, linked in the same places");

        for (String link : chartLinks(committed)) {
            assertTrue(Files.isRegularFile(EXAMPLE.resolve(link)), "REPORT.md or APPENDIX.md links " + link + ", which is missing");
        }
        try (var charts = Files.list(EXAMPLE.resolve("charts"))) {
            assertEquals(chartLinks(committed).stream().distinct().sorted().toList(),
                    charts.map(p -> "charts/" + p.getFileName()).sorted().toList(),
                    "every chart in docs/example-report/charts is linked from REPORT.md, and no other");
        }
        assertEquals(written.charts().stream().map(p -> "charts/" + p.getFileName()).sorted().toList(),
                chartLinks(again).stream().distinct().sorted().toList(), "the renderer links every chart it draws");
        for (Results.TransportStatus transport : example.transports()) {
            assertTrue(again.contains(transport.id()), transport.id() + " appears in the report");
        }
    }

    /** The example holds what a run writes for its readers, and the README shows the PDF's first page. */
    @Test
    void theExampleHasItsPagesAndTheReadmeShowsTheFirstOne() throws IOException {
        for (String file : List.of(ReportWriter.REPORT_HTML, ReportWriter.APPENDIX_HTML, ReportWriter.REPORT_PDF)) {
            assertTrue(Files.size(EXAMPLE.resolve(file)) > 10_000, file + " is in docs/example-report");
        }
        assertTrue(Files.readString(EXAMPLE.resolve(ReportWriter.REPORT_PDF), java.nio.charset.StandardCharsets.ISO_8859_1)
                .startsWith("%PDF-"), "REPORT.pdf is a PDF");
        String readme = Files.readString(Path.of("..", "README.md"));
        assertTrue(readme.contains("(docs/report-page-1.png)"), "the README shows the report's first page");
        byte[] png = Files.readAllBytes(Path.of("..", "docs", "report-page-1.png"));
        assertTrue(png.length > 10_000 && png[1] == 'P' && png[2] == 'N' && png[3] == 'G', "docs/report-page-1.png is a picture");
    }

    /** The targets of the Markdown images, {@code ![alt](charts/x.svg)}, in order. */
    private static List<String> chartLinks(String markdown) {
        List<String> links = new ArrayList<>();
        Matcher image = IMAGE.matcher(markdown);
        while (image.find()) {
            links.add(image.group(1));
        }
        return links;
    }

    private static List<String> headings(String markdown) {
        return markdown.lines().filter(l -> l.startsWith("#")).toList();
    }
}

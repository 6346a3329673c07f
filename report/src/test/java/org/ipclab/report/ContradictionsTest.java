package org.ipclab.report;

import static org.ipclab.report.ReportWriterTest.tableAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.Placement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guards against the contradictions a student found in the old report, one test per kind: a number said twice with
 * two values, a floor beaten yet "met", set-up compared across unlike work, a CPU chart that cannot say anything,
 * two transports in one colour.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ContradictionsTest {

    private static final Path EXAMPLE = Path.of("..", "docs", "example-report", ReportWriter.RESULTS_FILE);

    @TempDir
    Path dir;

    private Results example() throws IOException {
        return ReportWriter.read(EXAMPLE);
    }

    /** The example's record and appendix, rendered once for the class (each rendering also draws the PDF). */
    private static Path exampleDir;
    private static String[] exampleDocs;

    private String[] exampleDocs() throws IOException {
        if (exampleDocs == null) {
            exampleDir = Files.createTempDirectory("contradictions-example");
            ReportWriter.write(example(), exampleDir);
            exampleDocs = new String[] {Files.readString(exampleDir.resolve(ReportWriter.REPORT_FILE), StandardCharsets.UTF_8),
                    Files.readString(exampleDir.resolve(ReportWriter.APPENDIX_FILE), StandardCharsets.UTF_8)};
        }
        return exampleDocs;
    }

    @org.junit.jupiter.api.AfterAll
    static void removeTheExample() throws IOException {
        if (exampleDir != null) {
            try (var files = Files.walk(exampleDir)) {
                for (Path f : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(f);
                }
            }
        }
    }

    private String[] write(Results results) throws IOException {
        ReportWriter.write(results, dir);
        return new String[] {Files.readString(dir.resolve(ReportWriter.REPORT_FILE), StandardCharsets.UTF_8),
                Files.readString(dir.resolve(ReportWriter.APPENDIX_FILE), StandardCharsets.UTF_8)};
    }

    @Test
    void aLatencyInTheKeyTableIsTheSameValueAsInTheAppendixTables() throws IOException {
        for (Results results : List.of(example(), ResultsFixture.allSix().build())) {
            String[] docs = write(results);
            List<List<String>> key = tableAfter(docs[0], "### Key numbers");
            int checked = 0;
            for (Placement placement : List.of(Placement.SAME_CPU, Placement.DIFFERENT_CPUS)) {
                List<List<String>> full = tableAfter(docs[1], "Median round trip, µs, " + Text.where(placement) + ":");
                int column = full.get(0).indexOf("64 B");
                int keyColumn = placement == Placement.SAME_CPU ? 1 : 2;
                for (List<String> row : key.subList(2, key.size())) {
                    String inKey = row.get(keyColumn).replace('\u00a0', ' ');   // the key table keeps a number with its unit
                    if (inKey.equals("–")) {
                        continue;
                    }
                    List<String> same = full.stream().filter(r -> r.get(0).equals(row.get(0))).findFirst().orElseThrow();
                    String expected = inKey.endsWith(" ms")   // from 1,000 µs on the key table says ms
                            ? Numbers.format(Double.parseDouble(same.get(column).replace(" ", "")) / 1000) + " ms"
                            : same.get(column) + " µs";
                    assertEquals(expected, inKey, row.get(0) + " " + placement);
                    checked++;
                }
            }
            assertTrue(checked >= 6, "compared " + checked);
        }
    }

    @Test
    void theCpuRunsWallTimeIsNamedAsItsOwnMeanBesideTheLatencyMedian() throws IOException {
        String appendix = exampleDocs()[1];
        String spin = appendix.lines().filter(l -> l.contains("spins: at")).findFirst().orElseThrow();
        assertTrue(spin.contains("mean wall time in this measurement"), spin);
        Measurements m = new Measurements(DescriptorCatalog.complete(example(), DescriptorCatalog.installed()));
        java.util.regex.Matcher each = java.util.regex.Pattern.compile("`([a-z-]+)` spins: at (\\d+ (?:B|KiB)) on "
                + "different CPUs.*?the latency table's median for the same case, a separate measurement, is "
                + "([0-9.]+ µs)").matcher(spin);
        int checked = 0;
        while (each.find()) {
            int size = each.group(2).endsWith("KiB") ? Integer.parseInt(each.group(2).split(" ")[0]) * 1024
                    : Integer.parseInt(each.group(2).split(" ")[0]);
            Double p50 = m.p50Us(each.group(1), Placement.DIFFERENT_CPUS, size);
            assertEquals(Text.us(p50), each.group(3), "the median named for " + each.group(1) + " at " + each.group(2));
            checked++;
        }
        assertTrue(checked > 0, "no spinner's median was named: " + spin);
    }

    @Test
    void aCFloorJavaBeatsByMoreThanTenPercentIsNeverMet() throws IOException {
        String appendix = exampleDocs()[1];
        List<List<String>> targets = tableAfter(appendix, "| target | transport | where | measured | goal | met |");
        int noVerdict = 0;
        for (List<String> row : targets.subList(2, targets.size())) {
            if (!row.get(0).contains("Java ÷ C") || row.get(0).startsWith("round trip p99")) {
                continue;   // the tail's goal is judged as measured: a C p99 above Java's is no sign of other work
            }
            double ratio = Double.parseDouble(row.get(3).split("×")[0]);   // the median, before any range of rounds
            boolean beaten = row.get(0).startsWith("streaming") ? ratio > TargetsSection.FLOOR_BEATEN_BY
                    : ratio < 1 / TargetsSection.FLOOR_BEATEN_BY;
            assertEquals(beaten, row.get(5).equals(TargetsSection.NO_VERDICT), row.toString());
            noVerdict += beaten ? 1 : 0;
        }
        assertTrue(noVerdict > 0, "the example has a floor beaten by Java (tcp streaming)");
        assertTrue(appendix.contains("the C program does different work"), "and says why");
    }

    @Test
    void setUpIsComparedLikeWithLike() throws IOException {
        for (Results results : List.of(example(), ResultsFixture.allSix().build())) {
            String appendix = write(results)[1];
            String setup = appendix.substring(appendix.indexOf("### Set-up cost"), appendix.indexOf("### CPU time"));
            String ratio = setup.lines().filter(l -> l.contains(" as long.")).findFirst().orElseThrow();
            String compared = ratio.substring(ratio.indexOf("the cheapest"), ratio.indexOf(" as long."));
            assertFalse(compared.contains("JVM"), "a JVM start is not in the comparison: " + compared);
            assertTrue(setup.contains("mostly a JVM starting up"), "and is named for what it is");
        }
    }

    /**
     * Starting a broker is not opening a channel: the record's set-up ranges name the same dearest set-up as its key
     * table (a new Kafka client, 233 ms), never the broker's start (4.75 s) that the key table leaves out.
     */
    @Test
    void aBrokerStartIsNotTheDearestWayToOpenAChannel() throws IOException {
        Results results = example();
        String broker = results.setup().stream().filter(Measurements::startsEnvironment).findFirst()
                .map(r -> Text.ms(Numbers.millis(r.p50()))).orElseThrow(() -> new AssertionError("the example started a broker"));
        String record = exampleDocs()[0];
        String conclusion = record.substring(record.indexOf("## Conclusion"), record.indexOf("## Comments"));
        String comments = record.substring(record.indexOf("## Comments"), record.indexOf("## Viva"));
        String range = conclusion.lines().filter(l -> l.contains("Opening a channel")).findFirst().orElseThrow();
        String opening = range.substring(range.indexOf("Opening a channel"));
        assertFalse(opening.substring(0, opening.indexOf(", leaving out")).contains(broker),
                "the range leaves the broker's start out: " + opening);
        assertTrue(opening.contains("happens once per run"), "and says why: " + opening);
        assertFalse(comments.contains(broker), "(c) and (d) compare channels, not the broker's start");
    }

    /** A latency of a millisecond or more is written in ms in the record's prose, as in its key table. */
    @Test
    void noLatencyOfAMillisecondOrMoreIsWrittenInMicroseconds() throws IOException {
        String record = exampleDocs()[0];
        var big = java.util.regex.Pattern.compile("\\b\\d{4,}(\\.\\d+)? µs").matcher(record.replace(",", ""));
        assertFalse(big.find(), () -> "written in µs: " + big.group());
    }

    @Test
    void placementAgainstMechanismNamesTheSizeItHoldsAt() throws IOException {
        String record = exampleDocs()[0];
        String line = record.lines().filter(l -> l.contains("than the choice of mechanism did")).findFirst()
                .orElseThrow();
        assertTrue(line.contains("than the choice of mechanism did — at 64 B;"), line);
    }

    @Test
    void noCpuShareChartOnTheSameCpu() throws IOException {
        String appendix = exampleDocs()[1];
        assertFalse(Files.exists(exampleDir.resolve("charts/cpu-same-cpu.svg")),
                "two processes sharing one CPU always fill it: a share chart there says nothing");
        assertTrue(Files.exists(exampleDir.resolve("charts/cpu-different-cpus.svg")));
        assertTrue(appendix.contains("On the same CPU the two processes take turns"), "the appendix says why");
    }

    @Test
    void everyTransportHasItsOwnColour() throws IOException {
        for (Results given : List.of(example(), ResultsFixture.allSix().build())) {
            Results results = DescriptorCatalog.complete(given, DescriptorCatalog.installed());
            Measurements m = new Measurements(results);
            Set<Integer> colours = new HashSet<>();
            for (String transport : m.transports) {
                assertTrue(colours.add(m.palette.colour(transport).getRGB()), transport + " has a colour of its own");
            }
            Set<String> declared = new HashSet<>();
            for (var d : Measurements.list(results.descriptors())) {
                assertTrue(declared.add(d.colour().toLowerCase()), d.id() + " declares a colour no other declares");
            }
        }
    }

    /** What the prose says about the latency charts' log axis is what their tick labels show. */
    @Test
    void theLogAxisIsDescribedAsItsTicksAre() throws IOException {
        String[] docs = exampleDocs();
        String svg = Files.readString(exampleDir.resolve("charts/latency-same-cpu.svg"), StandardCharsets.UTF_8);
        java.util.regex.Matcher ticks = java.util.regex.Pattern.compile(">([0-9][0-9,]*)</text>").matcher(svg);
        List<Double> values = new java.util.ArrayList<>();
        while (ticks.find()) {
            values.add(Double.parseDouble(ticks.group(1).replace(",", "")));
        }
        assertTrue(values.size() >= 3, "the chart has numbered ticks: " + values);
        boolean decadesOnly = values.stream().allMatch(v -> Math.abs(Math.log10(v) - Math.rint(Math.log10(v))) < 1e-9);
        String prose = docs[0] + docs[1];
        if (!decadesOnly) {
            assertFalse(prose.contains("ten times the one below"),
                    "ticks " + values + " are not powers of ten, so the prose must not say each line is ten times the last");
        }
        assertTrue(prose.contains("logarithmic time axis"), "the axis is explained");
    }

    /** A count the backlog evidence states in two places is the same count, and a count matches the list it counts. */
    @Test
    void theBacklogEvidenceCountsOnce() throws IOException {
        String appendix = exampleDocs()[1];
        java.util.regex.Matcher linear = java.util.regex.Pattern.compile(
                "SYNs go out at ([0-9 s,.]+?) and connect\\(\\) fails.*?the first (\\d+) retransmissions come 1 s apart")
                .matcher(appendix);
        assertTrue(linear.find(), "the SYN schedule and its linear part are stated");
        List<Double> sent = java.util.Arrays.stream(linear.group(1).split(","))
                .map(t -> Double.parseDouble(t.strip().replace(" s", ""))).toList();
        int apart = 0;
        while (apart + 1 < sent.size() && Math.abs(sent.get(apart + 1) - sent.get(apart) - 1) < 0.05) {
            apart++;
        }
        assertEquals(apart, Integer.parseInt(linear.group(2)), "retransmissions 1 s apart in " + sent);

        java.util.regex.Matcher observed = java.util.regex.Pattern.compile(
                "Connected, but not on the server: (\\d+) client\\(s\\) of the host trials").matcher(appendix);
        java.util.regex.Matcher expected = java.util.regex.Pattern.compile(
                "seen for (\\d+) client\\(s\\)(?:: (\\d+) in the host trials| in the host trials)").matcher(appendix);
        assertTrue(observed.find() && expected.find(), "both places state the count");
        String hostInExpectations = expected.group(2) != null ? expected.group(2) : expected.group(1);
        assertEquals(observed.group(1), hostInExpectations, "clients connected without a server-side connection");

        List<List<String>> sweep = ReportWriterTest.tableAfter(appendix, "#### The sweep");
        int gaveUpColumn = sweep.get(0).indexOf("gave up");
        int gaveUp = sweep.subList(2, sweep.size()).stream().mapToInt(r -> Integer.parseInt(r.get(gaveUpColumn))).sum();
        assertEquals(gaveUp == 0, appendix.contains("No client of these host trials gave up"),
                "the short answer's 'gave up' agrees with the sweep's column (" + gaveUp + ")");
        assertFalse(appendix.contains("None gave up"), "a bare 'none gave up' beside namespace runs where some did");
    }
}

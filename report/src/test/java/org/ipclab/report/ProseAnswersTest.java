package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.report.model.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Answer 1 and the Conclusion, on the repository's example results.json and on the fixture: their length, and every
 * figure with a unit is a value of the same results (checked by {@link NumbersInProse}). The texts for the example
 * are written to {@code target/answers/} for a person to read.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProseAnswersTest {

    static final Path EXAMPLE = Path.of("..", "docs", "example-report", ReportWriter.RESULTS_FILE);

    @TempDir
    Path dir;

    /**
     * The example predates descriptors in results.json; the application fills them in through the catalog
     * ({@link DescriptorCatalog}). The report module has no catalog of its own, so the fixture's, shaped like the
     * transports' own, stands in.
     */
    static Results example() throws IOException {
        return DescriptorCatalog.complete(ReportWriter.read(EXAMPLE), ResultsFixture::descriptors);
    }

    static int words(String text) {
        return (int) Arrays.stream(text.replaceAll("[`*_|#>]", " ").trim().split("\\s+"))
                .filter(w -> w.chars().anyMatch(Character::isLetterOrDigit)).count();
    }

    /** Sentences end with . ! or ? followed by white space (numbers such as 4.79 have no space after the dot). */
    static int sentences(String text) {
        return text.trim().split("(?<=[.!?])\\s+").length;
    }

    @Test
    void answerOneOnTheExampleIs300To500WordsAndEveryFigureIsTheRuns() throws IOException {
        String text = AnswerOne.prose(example());
        write("answer-one.md", text);
        int words = words(text);
        assertTrue(words >= 300 && words <= 500, words + " words:\n" + text);
        assertEquals(List.of(), NumbersInProse.of(EXAMPLE).unknown(text), text);
        assertFalse(NumbersInProse.figures(text).isEmpty(), "it cites measurements");
        for (String aspect : List.of("bind(2)", "Direction", "byte stream", "crash", "first echo", "round trip",
                "Streaming")) {
            assertTrue(text.contains(aspect), aspect + " in:\n" + text);
        }
    }

    @Test
    void answerOneOnTheFixture() throws IOException {
        Results results = ResultsFixture.allSix().build();
        String text = AnswerOne.prose(results);
        int words = words(text);
        assertTrue(words >= 300 && words <= 500, words + " words:\n" + text);
        assertEquals(List.of(), NumbersInProse.of(results, dir).unknown(text), text);
        assertTrue(text.contains(Numbers.format(new ResultsFixture().pipeSame64P50) + " µs"),
                "the fastest same-CPU round trip is cited:\n" + text);
    }

    @Test
    void conclusionOnTheExampleIs5To8SentencesAndEveryFigureIsTheRuns() throws IOException {
        String text = Conclusion.prose(example(), Question2Renderer.installed());
        write("conclusion.md", text);
        int n = sentences(text);
        assertTrue(n >= 5 && n <= 8, n + " sentences:\n" + text);
        assertEquals(List.of(), NumbersInProse.of(EXAMPLE).unknown(text), text);
        assertTrue(text.contains("B+1"), "the backlog result:\n" + text);
    }

    @Test
    void conclusionOnTheFixture() throws IOException {
        Results results = ResultsFixture.threeTransports().build();
        String text = Conclusion.prose(results, Question2Renderer.installed());
        int n = sentences(text);
        assertTrue(n >= 5 && n <= 8, n + " sentences:\n" + text);
        assertEquals(List.of(), NumbersInProse.of(results, dir).unknown(text), text);
        assertTrue(text.contains("not measured in this run"), "the fixture has no backlog:\n" + text);
    }

    /** A run that measured little: no properties, no set-up, no throughput, no backlog, no descriptors. */
    @Test
    void aRunWithMissingMeasurementsSaysWhatWasNotMeasured() throws IOException {
        Results full = ResultsFixture.threeTransports().build();
        Results thin = new Results(full.schema(), full.run(), full.environment(), full.transports(), full.latency(),
                null, List.of(), full.cpu(), null, null, full.nativeFloor(), full.notes());
        String one = AnswerOne.prose(thin);
        String conclusion = Conclusion.prose(thin, Question2Renderer.installed());
        for (String text : List.of(one, conclusion)) {
            assertTrue(text.contains("not measured in this run"), text);
            assertFalse(text.contains("null"), text);
            assertEquals(List.of(), NumbersInProse.of(thin, dir).unknown(text), text);
        }
        assertTrue(one.contains("Set-up cost was not measured in this run"), one);
        assertTrue(one.contains("Streaming throughput was not measured in this run"), one);
        int n = sentences(conclusion);
        assertTrue(n >= 5 && n <= 8, n + " sentences:\n" + conclusion);
    }

    private static void write(String name, String text) throws IOException {
        Path out = Path.of("target", "answers");
        Files.createDirectories(out);
        Files.writeString(out.resolve(name), text);
    }

    /**
     * The whole Analysis and Conclusion of the written REPORT.md — both answers, the matrix, Answer 2's kernel
     * reasoning, the Conclusion — not only the paragraphs the tests above render alone: every µs or ms figure is a
     * value of the same results.json.
     */
    @Test
    void everyFigureInTheRecordsAnalysisAndConclusionIsTheRuns() throws IOException {
        for (Results results : List.of(example(), ResultsFixture.allSix().build())) {
            ReportWriter.write(results, dir);
            String record = Files.readString(dir.resolve(ReportWriter.REPORT_FILE));
            int from = record.indexOf("\n## Analysis");
            int to = record.indexOf("\n## Comments");
            assertTrue(from > 0 && to > from, "Analysis, then Conclusion, then Comments");
            String text = record.substring(from, to);
            assertFalse(NumbersInProse.figures(text).isEmpty(), "the analysis cites measurements");
            assertEquals(List.of(), NumbersInProse.of(dir.resolve(ReportWriter.RESULTS_FILE)).unknown(text), text);
        }
    }
}

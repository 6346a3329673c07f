package org.ipclab.report.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.ipclab.report.NumbersInProse;
import org.ipclab.report.ReportWriter;
import org.ipclab.report.model.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Answer 2's short prose: 150–300 words, the kernel's reasoning, every figure from the same results. */
@Timeout(60)
class BacklogAnswerTest {

    private static final Path EXAMPLE = Path.of("..", "docs", "example-report", ReportWriter.RESULTS_FILE);

    @TempDir
    Path dir;

    static int words(String text) {
        return (int) Arrays.stream(text.replaceAll("[`*_|#>]", " ").trim().split("\\s+"))
                .filter(w -> w.chars().anyMatch(Character::isLetterOrDigit)).count();
    }

    private static Results results(BacklogReport backlog) {
        return new Results(Results.SCHEMA, null, null, List.of(), List.of(), List.of(), List.of(), List.of(),
                List.of(), backlog == null ? null : BacklogJson.tree(backlog), List.of(), List.of());
    }

    @Test
    void onTheExampleItIs150To300WordsWithTheKernelsReasoning() throws Exception {
        String text = new BacklogQuestion2Renderer().answer(ReportWriter.read(EXAMPLE));
        Files.createDirectories(Path.of("target", "answers"));
        Files.writeString(Path.of("target", "answers", "answer-two.md"), text);
        int words = words(text);
        assertTrue(words >= 150 && words <= 300, words + " words:\n" + text);
        assertEquals(List.of(), NumbersInProse.of(EXAMPLE).unknown(text), text);
        for (String part : List.of("B+1", "`net.core.somaxconn` (4096", "`tcp_syncookies` = 1",
                "`tcp_max_syn_backlog`", "listen(2)", "ETIMEDOUT after about 131 s", "iterative")) {
            assertTrue(text.contains(part), part + " in:\n" + text);
        }
    }

    @Test
    void onTheFixtureSweepEveryFigureIsTheRuns() throws Exception {
        Results results = results(Fixtures.sweep(1));
        String text = new BacklogQuestion2Renderer().answer(results);
        int words = words(text);
        assertTrue(words >= 150 && words <= 300, words + " words:\n" + text);
        assertEquals(List.of(), NumbersInProse.of(results, dir).unknown(text), text);
        assertTrue(text.contains("B+1"), text);
    }

    @Test
    void withoutTheExperimentItSaysItWasNotMeasured() {
        String text = new BacklogQuestion2Renderer().answer(results(null));
        assertTrue(text.contains("not measured in this run"), text);
        assertTrue(NumbersInProse.figures(text).isEmpty(), "no measurement is claimed: " + text);
        assertFalse(text.isBlank());
    }
}

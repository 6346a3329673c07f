package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ipclab.report.model.Results;
import org.ipclab.report.model.ServerModelResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerModelsSectionTest {

    @TempDir
    Path dir;

    @Test
    void answer2CitesTheIterativeServersWaitFromTheSweepAndTheAppendixHasEveryPoint() throws IOException {
        Results results = ResultsFixture.allSix().build();
        ReportWriter.Written written = ReportWriter.write(results, dir);
        String record = Files.readString(written.report());
        String appendix = Files.readString(written.appendix());
        ServerModelResult iterative = results.serverModels().stream()
                .filter(p -> p.model().equals("iterative") && p.clients() == 1000).findFirst().orElseThrow();
        String answer2 = record.substring(record.indexOf("### Answer 2"), record.indexOf("## Conclusion"));
        assertTrue(answer2.contains("with 1000 clients connected at once the last one the iterative server served waited "
                + Text.ms(iterative.longestFirstEcho().value() / 1000) + " for its first echo"), answer2);
        assertTrue(answer2.contains("(APPENDIX.md#" + ServerModelsSection.ANCHOR + ")"), "it links the evidence");
        String section = appendix.substring(appendix.indexOf("### Server designs"));
        section = section.substring(0, section.indexOf("\n## "));
        long rows = section.lines().filter(l -> l.startsWith("| `")).count();
        assertEquals(results.serverModels().size() + results.serverMemory().size(), rows,
                "a table row per point of the sweep and per memory check");
        assertTrue(section.contains("](charts/" + ServerModelsSection.CHART + ")"));
        assertTrue(section.contains("Java 21"), "the virtual design's absence is explained");
        assertTrue(section.contains("| `c-epoll` | " + Numbers.count(1000) + " |") && section.contains("`native/ipclab_servers.c`"),
                "the C floor's epoll server has its rows and says what it is: " + section);
        assertTrue(section.contains("`threads` 137 MiB (67.6 KiB per connection, 1\u2009024 threads)"), section);
    }

    @Test
    void aRunWithoutTheSweepHasNoSectionAndNoSentence() throws IOException {
        Results results = ResultsFixture.allSix().build().withServerModels(List.of()).withServerMemory(null);
        ReportWriter.Written written = ReportWriter.write(results, dir);
        assertFalse(Files.readString(written.appendix()).contains("Server designs"));
        assertFalse(Files.readString(written.report()).contains("server-design sweep"));
    }

    /** The memory targets judge the design the TCP server runs by default, and only that one. */
    @Test
    void theDefaultDesignsMemoryIsJudgedAgainstItsTarget() throws IOException {
        Results results = ResultsFixture.allSix().build();   // threads is the default there: 136.5 MiB
        String appendix = Files.readString(ReportWriter.write(results, dir).appendix());
        String targets = appendix.substring(appendix.indexOf("### Performance targets"));
        assertTrue(targets.contains("| TCP server's memory with idle connections | – | `threads`, 1\u2009000 idle | 137 MiB "
                + "| ≤ 100 MiB | **no** |"), targets);
        assertTrue(targets.contains("the TCP server's memory with 1\u2009000 idle connections: 137 MiB (goal ≤ 100 MiB)"),
                "and the miss is named");
        assertFalse(targets.contains("`nio`, 1\u2009000 idle"), "a design that is not the default is not judged");
        Results met = results.withServerMemory(List.of(new org.ipclab.report.model.ServerMemoryResult("hybrid", 400, 20,
                65536, 1000, 70.0, 72.3, 1.4, 87, org.ipclab.report.model.Quantity.of(2.7, "ms"), 20000, true)));
        String again = Files.readString(ReportWriter.write(met, dir).appendix());
        assertTrue(again.contains("| TCP server's memory with idle connections | – | `hybrid`, 1\u2009000 idle | 72.3 MiB "
                + "| ≤ 100 MiB | yes |"), again);
    }
}

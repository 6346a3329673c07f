package org.ipclab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ipclab.report.model.LabRecord;
import org.ipclab.report.model.LabRun;
import org.ipclab.report.model.ProgramListing;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results;
import org.ipclab.report.model.VivaAnswer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** REPORT.md is the lab record: the lab template's sections in order, short, complete, linked to its appendix. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LabRecordTest {

    static final int MAX_PROSE_WORDS = 3500;

    /** The record's top-level sections, in the lab template's order. */
    static final List<String> ORDER = List.of("# Lab record", "## Aim", "## Objective", "## Algorithm and flowchart",
            "## Program", "## Results", "## Analysis", "### Answer 1", "### Answer 2", "## Conclusion", "## Comments",
            "### (a) Limitations of the experiment", "### (b) Limitations of the results obtained", "### (c) Learning",
            "### (d) Recommendations", "## Viva", "## Glossary");

    /** Ids of questions the record answers itself (the rest go to the appendix). */
    private static final List<String> RECORD_IDS = VivaSection.IN_RECORD.stream().sorted().toList();
    private static final Path EXAMPLE = Path.of("..", "docs", "example-report", ReportWriter.RESULTS_FILE);
    private static final Path LAB_SOURCES = Path.of("..", ProgramSection.SOURCE_DIR);

    @TempDir
    Path dir;

    /** The lab's real sources, a run that printed what the lab prints, and twenty viva answers of four sentences. */
    static LabRecord fullLab() throws IOException {
        List<ProgramListing> programs = List.of(
                new ProgramListing("LabServer.java", "java", "server",
                        Files.readString(LAB_SOURCES.resolve("LabServer.java"), StandardCharsets.UTF_8)),
                new ProgramListing("LabClient.java", "java", "client",
                        Files.readString(LAB_SOURCES.resolve("LabClient.java"), StandardCharsets.UTF_8)));
        LabRun run = new LabRun("127.0.0.1", 41234,
                List.of("java", "-cp", "ipc-lab.jar", "org.ipclab.socket.lab.LabServer", "41234"),
                List.of("java", "-cp", "ipc-lab.jar", "org.ipclab.socket.lab.LabClient", "41234"),
                List.of("Connected by /127.0.0.1:50122"), List.of("Received Hello, world"), 143, 0,
                "SIGTERM after the client exited", Quantity.of(180, "ms"), Quantity.of(210, "ms"),
                Quantity.of(420, "ms"), true, null);
        List<VivaAnswer> viva = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            Map<String, String> measured = new LinkedHashMap<>();
            measured.put("clientPort", String.valueOf(40000 + i));
            String id = i <= RECORD_IDS.size() ? RECORD_IDS.get(i - 1) : "question-" + i;
            viva.add(new VivaAnswer(id, "Why does question " + i + " matter to a socket program?",
                    "The experiment made the system call the question is about and watched what the kernel did. "
                            + "It measured port " + (40000 + i) + " on the client's side, which the kernel chose. "
                            + "That shows the rule the question asks about, on this machine, in this run. "
                            + "A reader can repeat it with ss and strace while the program runs.",
                    measured, i % 5 != 0, i % 5 != 0 ? null : "the mechanism is not in ipc-lab yet"));
        }
        return new LabRecord(programs, run, viva);
    }

    private String write(Results results) throws IOException {
        ReportWriter.write(results, dir);
        return Files.readString(dir.resolve(ReportWriter.REPORT_FILE), StandardCharsets.UTF_8);
    }

    /** The example run with a lab record: every part of the report present. */
    private Results everything() throws IOException {
        return ReportWriter.read(EXAMPLE).withLab(fullLab());
    }

    @Test
    void theSectionsAreTheLabTemplatesInItsOrder() throws IOException {
        for (Results results : List.of(everything(), ReportWriter.read(EXAMPLE),
                ResultsFixture.allSix().build().withLab(fullLab()))) {
            List<String> headings = write(results).lines().filter(l -> l.startsWith("#")).toList();
            int at = -1;
            for (String wanted : ORDER) {
                int found = -1;
                for (int i = at + 1; i < headings.size(); i++) {
                    if (headings.get(i).startsWith(wanted)) {
                        found = i;
                        break;
                    }
                }
                assertTrue(found > at, wanted + " after the sections before it, in " + headings);
                at = found;
            }
        }
    }

    @Test
    void theRecordHasAtMost3500WordsOfProse() throws IOException {
        int example = proseWords(write(ReportWriter.read(EXAMPLE)));
        assertTrue(example <= MAX_PROSE_WORDS, "example report: " + example + " words");
        String full = write(everything());
        int words = proseWords(full);
        assertTrue(words <= MAX_PROSE_WORDS, "with every part present: " + words + " words");
        assertTrue(words > 1000, "the counter counts: " + words);
        System.out.println("REPORT.md prose: example " + example + " words, with every part " + words + " words");
    }

    @Test
    void theAppendixIsLinkedAndEveryLinkLands() throws IOException {
        String record = write(everything());
        String appendix = Files.readString(dir.resolve(ReportWriter.APPENDIX_FILE), StandardCharsets.UTF_8);
        assertTrue(record.contains("](" + ReportWriter.APPENDIX_FILE + ")"), "the title line links the appendix");
        Matcher links = Pattern.compile("\\]\\(([^)\\s]+)\\)").matcher(record + "\n" + appendix);
        int anchors = 0;
        while (links.find()) {
            String link = links.group(1);
            String file = link.contains("#") ? link.substring(0, link.indexOf('#')) : link;
            assertTrue(Files.exists(dir.resolve(file)), "link target exists: " + link);
            if (link.contains("#")) {
                String id = link.substring(link.indexOf('#') + 1);
                String target = Files.readString(dir.resolve(file), StandardCharsets.UTF_8);
                assertTrue(target.contains("<a id=\"" + id + "\"></a>"), "anchor exists: " + link);
                anchors++;
            }
        }
        assertTrue(anchors >= 3, "the record points into the appendix: " + anchors);
    }

    @Test
    void theProgramIsListedByteForByte() throws IOException {
        LabRecord lab = fullLab();
        String record = write(everything());
        for (ProgramListing p : lab.programs()) {
            int name = record.indexOf("**" + p.file() + "**");
            assertTrue(name >= 0, p.file() + " is named");
            int open = record.indexOf("```java\n", name) + "```java\n".length();
            int close = record.indexOf("\n```\n", open);
            assertEquals(p.text(), record.substring(open, close + 1), p.file() + " verbatim");
        }
        assertTrue(record.contains("javac -d . LabServer.java LabClient.java"));
        assertTrue(record.contains("java org.ipclab.socket.lab.LabServer"), "run by the package the source declares");
        assertTrue(record.contains("Connected by /127.0.0.1:50122") && record.contains("Received Hello, world"));
        assertTrue(record.contains("# client exit code: 0"));
    }

    @Test
    void anOldResultsFileSaysWhatIsMissing() throws IOException {
        // a results.json written before runs recorded the lab's part: the example's, without it
        String record = write(ReportWriter.read(EXAMPLE).withLab(null));
        assertTrue(record.contains("The program listing is not in this results file"));
        assertTrue(record.contains(ProgramSection.SOURCE_DIR));
        assertTrue(record.contains("The viva was not in this run"));
        assertTrue(record.contains("The lab program did not run in this results file"));
    }

    @Test
    void theVivaMarksWhatWasNotMeasured() throws IOException {
        String record = write(everything());
        String viva = record.substring(record.indexOf("## Viva"), record.indexOf("## Glossary"));
        assertTrue(viva.contains("**Why does question 1 matter to a socket program?**"));
        assertFalse(viva.contains("question 10 matter"), "a question outside the record's set is in the appendix");
        assertTrue(viva.contains((20 - RECORD_IDS.size()) + " more questions"), viva);
        // of questions 1 to 9 only the fifth was not measured
        assertEquals(1, viva.split("\\(not measured: the mechanism is not in ipc-lab yet\\)", -1).length - 1);
    }

    @Test
    void theGlossaryDefinesOnlyTermsTheRecordUses() throws IOException {
        String record = write(everything());
        String body = record.substring(0, record.indexOf("## Glossary"));
        String glossary = record.substring(record.indexOf("## Glossary"));
        for (Glossary.Term term : Glossary.TERMS) {
            boolean used = term.pattern().matcher(body.replaceAll("(?ms)^```.*?^```", "")).find();
            assertEquals(used, glossary.contains("| **" + term.term() + "** |"), term.term());
        }
        assertTrue(glossary.contains("| **backlog** |"));
    }

    @Test
    void theKeyTableComparesSetUpLikeWithLike() throws IOException {
        String record = write(ResultsFixture.allSix().build());
        String table = record.substring(record.indexOf("### Key numbers"), record.indexOf("## Analysis"));
        assertFalse(table.contains("JVM echo child"), "a set-up that starts a JVM is not in the key table");
        String appendix = Files.readString(dir.resolve(ReportWriter.APPENDIX_FILE), StandardCharsets.UTF_8);
        assertTrue(appendix.contains("mostly a JVM starting up"), "the JVM start is named where it is shown");
    }

    /** Words outside fenced blocks, tables, images and HTML anchors. */
    static int proseWords(String markdown) {
        String text = markdown.replaceAll("(?ms)^(`{3,})[^\\n]*\\n.*?^\\1\\s*$", "");
        int words = 0;
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (l.startsWith("|") || l.startsWith("![") || l.startsWith("<a id=")) {
                continue;
            }
            for (String w : l.split("\\s+")) {
                words += w.isBlank() || w.chars().allMatch(c -> "#-*>".indexOf(c) >= 0) ? 0 : 1;
            }
        }
        return words;
    }
}

package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.ReportWriter;
import org.ipclab.report.model.Results;
import org.ipclab.socket.lab.ChildProgram;
import org.ipclab.socket.lab.LabPrograms;
import org.ipclab.socket.lab.StandaloneJava;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./ipc-lab lab} writes the lab record from the lab run alone (the program's sources, its printed lines, the
 * viva, property and backlog experiments, no benchmark). Then what a student does with it: copy the two listings out of REPORT.md, compile each alone, and run them
 * against the lab's Python client and server. The text comes from the report {@code ./ipc-lab lab} wrote, not
 * from the source tree, so a listing that drifted or got mangled on its way into Markdown fails here.
 */
@Timeout(180)
class LabCommandTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;

    private static Path out;
    private static String server;
    private static String client;

    @BeforeAll
    static void writeTheLabRecord() throws Exception {
        out = dir.resolve("record");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = IpcLabCommand.execute(new String[] {"lab", "--out", out.toString()},
                new PrintStream(new ByteArrayOutputStream(), true), new PrintStream(err, true));
        assertEquals(0, code, "./ipc-lab lab; stderr: " + err);
        List<String> listings = javaBlocks(Files.readString(out.resolve(ReportWriter.REPORT_FILE)));
        server = listings.stream().filter(s -> s.contains("class LabServer")).findFirst().orElseThrow(
                () -> new AssertionError("REPORT.md lists no LabServer in a ```java block"));
        client = listings.stream().filter(s -> s.contains("class LabClient")).findFirst().orElseThrow(
                () -> new AssertionError("REPORT.md lists no LabClient in a ```java block"));
    }

    @Test
    void resultsHoldTheLabRecordAndTheReportShowsTheRun() throws Exception {
        Results results = ReportWriter.read(out.resolve(ReportWriter.RESULTS_FILE));
        assertNotNull(results.lab(), "results.json has the lab record");
        assertTrue(results.lab().run().ok(), "lab run: " + results.lab().run());
        assertEquals(List.of("LabServer.java", "LabClient.java"),
                results.lab().programs().stream().map(p -> p.file()).toList());
        assertEquals(server, results.lab().programs().get(0).text(), "the report lists the server verbatim");
        assertEquals(client, results.lab().programs().get(1).text(), "the report lists the client verbatim");
        assertTrue(results.lab().viva().size() >= 12, results.lab().viva().size() + " viva questions");
        assertTrue(results.backlog() != null && !results.backlog().isNull(), "the backlog sweep ran");
        assertFalse(results.properties().isEmpty(), "the property experiments ran");
        assertTrue(results.latency().isEmpty(), "no benchmark in a lab-only run");
        String report = Files.readString(out.resolve(ReportWriter.REPORT_FILE));
        assertTrue(report.contains("Received Hello, world"), "the client's printed line is in the report");
        assertTrue(report.contains("Connected by 127.0.0.1:"), "the server's printed line is in the report");
    }

    @Test
    void eachListingCompilesAloneWithJavac() throws Exception {
        for (String source : List.of(server, client)) {
            Path empty = Files.createTempDirectory(dir, "javac-");
            StandaloneJava.compile(source, empty);
            assertTrue(Files.exists(empty.resolve("org/ipclab/socket/lab/" + StandaloneJava.className(source) + ".class")),
                    "javac wrote the class of " + StandaloneJava.className(source));
        }
    }

    @Test
    void theListedServerEchoesToThePythonClient() throws Exception {
        assumePython();
        int port = LabPrograms.freePort();
        Path work = Files.createTempDirectory(dir, "server-");
        try (ChildProgram listed = StandaloneJava.launch(server, work, "" + port)) {
            LabPrograms.awaitListening(port, listed, WAIT);
            try (ChildProgram python = ChildProgram.start(LabPrograms.python(LabPrograms.PYTHON_CLIENT, work, "" + port), work)) {
                assertEquals(0, python.awaitExit(WAIT), python.lines().toString());
                assertEquals(List.of("Received b'Hello, world'"), python.lines());
            }
            assertTrue(listed.awaitLine(l -> l.matches("Connected by 127\\.0\\.0\\.1:\\d+"), WAIT) != null);
        }
    }

    @Test
    void theListedClientGetsItsEchoFromThePythonServer() throws Exception {
        assumePython();
        int port = LabPrograms.freePort();
        Path work = Files.createTempDirectory(dir, "client-");
        try (ChildProgram python = ChildProgram.start(LabPrograms.python(LabPrograms.PYTHON_SERVER, work, "" + port), work)) {
            LabPrograms.awaitListening(port, python, WAIT);
            try (ChildProgram listed = StandaloneJava.launch(client, work, "" + port)) {
                assertEquals(0, listed.awaitExit(WAIT), listed.lines().toString());
                assertEquals(List.of("Received Hello, world"), listed.lines());
            }
        }
    }

    /** The contents of every ```java fenced block, verbatim. */
    static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder current = null;
        for (String line : markdown.split("\n", -1)) {
            if (current == null && line.trim().equals("```java")) {
                current = new StringBuilder();
            } else if (current != null && line.trim().equals("```")) {
                blocks.add(current.toString());
                current = null;
            } else if (current != null) {
                current.append(line).append('\n');
            }
        }
        return blocks;
    }

    private static void assumePython() {
        Assumptions.assumeTrue(LabPrograms.pythonAvailable(),
                "python3 is not on the PATH: the lab's Python server and client cannot run (apt-get install python3)");
    }
}

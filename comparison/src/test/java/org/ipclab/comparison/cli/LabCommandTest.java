package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ipclab.report.ReportWriter;
import org.ipclab.report.model.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ipc-lab lab} runs the lab's own program, the viva, property and backlog experiments, and writes the lab
 * record from them: the listed sources, the run's printed lines and the answers are all in the same results.json.
 */
class LabCommandTest {

    @Test
    @Timeout(180)
    void writesTheLabRecordFromTheLabRunAlone(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = IpcLabCommand.execute(new String[] {"lab", "--out", dir.toString()},
                new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, code, "exit code; stderr: " + err);
        Results results = ReportWriter.read(dir.resolve(ReportWriter.RESULTS_FILE));
        assertNotNull(results.lab(), "results.json has the lab record");
        assertTrue(results.lab().run().ok(), "lab run: " + results.lab().run());
        assertEquals(2, results.lab().programs().size(), "server and client listed");
        assertTrue(results.lab().programs().get(0).text().contains("new ServerSocket"),
                results.lab().programs().get(0).text());
        assertTrue(results.lab().viva().size() >= 12, results.lab().viva().size() + " viva questions");
        assertTrue(results.backlog() != null && !results.backlog().isNull(), "the backlog sweep ran");
        assertTrue(!results.properties().isEmpty(), "the property experiments ran");
        assertTrue(results.latency().isEmpty(), "no benchmark in a lab-only run");
        String report = Files.readString(dir.resolve(ReportWriter.REPORT_FILE));
        assertTrue(report.contains("Received Hello, world"), report);
        assertTrue(report.contains("Connected by "), report);
    }
}

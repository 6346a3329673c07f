package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code ipc-lab lab} runs the lab's own program and the viva experiments and writes LAB.md from them. */
class LabCommandTest {

    @Test
    @Timeout(120)
    void writesTheLabRunAndTheVivaAnswers(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = IpcLabCommand.execute(new String[] {"lab", "--out", dir.toString()},
                new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, code, "exit code; stderr: " + err);
        String lab = Files.readString(dir.resolve("LAB.md"));
        assertTrue(lab.contains("Received Hello, world"), lab);
        assertTrue(lab.contains("Connected by "), lab);
        long questions = lab.lines().filter(l -> l.startsWith("**Q")).count();
        assertTrue(questions >= 12, questions + " viva questions in\n" + lab);
    }
}

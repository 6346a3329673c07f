package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.ipclab.report.backlog.BacklogJson;
import org.ipclab.report.backlog.BacklogReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** {@code ipc-lab backlog}: bad input is one clear line and exit 2; a small real run prints tables or JSON. */
@Timeout(60)
class BacklogCliTest {

    private static final String[] SMALL = {"backlog", "--backlog", "1", "--clients", "3", "--connect-timeout", "400ms",
        "--accept-after", "never", "--arrival", "all-at-once", "--no-netns"};

    @TempDir
    Path dir;

    @Test
    void badInput() {
        BadInputTest.assertOneClearLine(Cli.run("backlog", "--sweep", "1,two"), "--sweep", "'two' is not a number");
        BadInputTest.assertOneClearLine(Cli.run("backlog", "--backlog", "-1"), "--backlog", "0 to 1000");
        BadInputTest.assertOneClearLine(Cli.run("backlog", "--accept-after", "soon"), "--accept-after", "'never'");
        BadInputTest.assertOneClearLine(Cli.run("backlog", "--arrival", "sideways"), "--arrival", "one-by-one");
        BadInputTest.assertOneClearLine(Cli.run("backlog", "--clients", "0"), "--clients must be 1-");
        BadInputTest.assertOneClearLine(Cli.run("backlog", "--connect-timeout", "0"), "--connect-timeout");
        BadInputTest.assertOneClearLine(Cli.run("backlog", "--connect-timeout", "later"), "'later' is not a duration");
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void printsATablePerBacklogAndTheExplanation() {
        Cli.Result result = Cli.run(SMALL);
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        assertTrue(result.out().contains("backlog 1"), result.toString());
        assertTrue(result.out().contains("What happened"), result.toString());
        assertTrue(result.out().contains("Other systems (as documented, not measured here)"), result.toString());
        assertTrue(result.err().contains("backlog 1, all at once: 3 clients"), "progress on stderr: " + result);
    }

    @Test
    @EnabledOnOs(OS.LINUX)
    void jsonAndTheReportSection() throws Exception {
        String[] args = new String[SMALL.length + 3];
        System.arraycopy(SMALL, 0, args, 0, SMALL.length);
        args[SMALL.length] = "--json";
        args[SMALL.length + 1] = "--out";
        args[SMALL.length + 2] = dir.toString();
        Cli.Result result = Cli.run(args);
        assertEquals(ExitCodes.OK, result.exitCode(), result.toString());
        BacklogReport report = BacklogJson.read(result.out(), BacklogReport.class);
        assertEquals(BacklogReport.SCHEMA, report.schema());
        assertEquals(1, report.trials().size());
        assertEquals(3, report.trials().get(0).summary().fatesTotal());
        assertEquals("not requested", report.variantsSkipped());
        assertTrue(Files.readString(dir.resolve("backlog.md")).startsWith("## Question 2"));
        assertTrue(Files.size(dir.resolve("backlog.svg")) > 1000);
    }
}

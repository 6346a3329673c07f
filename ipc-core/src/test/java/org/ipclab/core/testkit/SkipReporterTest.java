package org.ipclab.core.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;

class SkipReporterTest {

    /** Run by the launcher below, not by surefire (which leaves nested classes alone). */
    static class ThreeOutcomes {
        @Test
        void runs() {
        }

        @Test
        void skipsByAssumption() {
            Assumptions.assumeTrue(false, "needs a unicorn (install one)");
        }

        @Test
        @Disabled("switched off on purpose")
        void isDisabled() {
        }
    }

    @Test
    void printsOneLinePerSkippedTestWithItsReason() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Launcher launcher = LauncherFactory.create();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(ThreeOutcomes.class)).build(),
                new SkipReporter(new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(2, lines.size(), "one line per skipped test, none for the one that ran: " + lines);
        assertTrue(lines.contains("SKIPPED SkipReporterTest$ThreeOutcomes.skipsByAssumption:"
                + " Assumption failed: needs a unicorn (install one)"), lines.toString());
        assertTrue(lines.contains("SKIPPED SkipReporterTest$ThreeOutcomes.isDisabled: switched off on purpose"),
                lines.toString());
    }
}

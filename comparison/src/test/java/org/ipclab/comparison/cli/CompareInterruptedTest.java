package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code compare} stopped midway, as Ctrl-C or a {@code kill} would stop it, leaves nothing behind: its scratch
 * directories (sockets, the sidecar, the compiled C floor) go with it. The run's temporary directory is pointed at a
 * directory of the test's own, so what is left there is what the run left.
 */
class CompareInterruptedTest {

    @Test
    @Timeout(120)
    void sigtermMidwayLeavesNoScratchDirectory(@TempDir Path tmp) throws Exception {
        Path scratchRoot = Files.createDirectories(tmp.resolve("tmp"));
        try (CliProcess compare = CliProcess.start(List.of("-Djava.io.tmpdir=" + scratchRoot),
                "compare", "--transports", "tcp", "--out", tmp.resolve("out").toString())) {
            // the C floor's first measurement: by then the run holds its scratch directory and the compiled floor
            compare.awaitLine("native (C) floor");
            assertTrue(names(scratchRoot).stream().anyMatch(n -> n.startsWith("ipc-lab-compare-")),
                    "the run made its scratch directory under java.io.tmpdir: " + names(scratchRoot));
            compare.terminate();
            assertTrue(compare.child().process().waitFor(30, TimeUnit.SECONDS), "compare ended within 30 s of SIGTERM");
            // jmh.lock is JMH's machine-wide lock (one benchmark run at a time per temporary directory): JMH leaves it
            // by design, as deleting it while another run holds it would break the exclusion
            List<String> left = names(scratchRoot).stream().filter(n -> !n.equals("jmh.lock")).toList();
            assertEquals(List.of(), left, "left behind in the run's temporary directory");
        }
    }

    private static List<String> names(Path dir) throws java.io.IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}

package org.ipclab.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.ipclab.core.experiments.Boundaries;
import org.ipclab.core.experiments.Libc;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What every Linux pipe and FIFO must show, whatever its size settings: one body, both mechanisms. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PipeLikeExperimentsTest {

    @TempDir
    Path dir;

    static Stream<PipeLikeExperiments> pipes() {
        return Stream.of(new PipeExperiments(), new FifoExperiments());
    }

    @ParameterizedTest
    @MethodSource("pipes")
    void theWrongEndFailsWithEbadfAndTheRightOneCarriesTheBytes(PipeLikeExperiments pipe) throws Exception {
        PipeLikeExperiments.Direction seen = pipe.directionProbe(dir);
        assertEquals(Libc.EBADF, seen.writeToReadEnd().errno(), seen.toString());
        assertEquals(Libc.EBADF, seen.readFromWriteEnd().errno(), seen.toString());
        assertEquals(5, seen.written());
        assertEquals(seen.written(), seen.read());
        assertTrue(seen.oneWay());
    }

    @ParameterizedTest
    @MethodSource("pipes")
    void readsReturnExactlyTheBytesWrittenAndNeverMore(PipeLikeExperiments pipe) throws Exception {
        Boundaries seen = pipe.boundaries(dir);
        assertEquals(seen.written(), seen.read(), seen.toString());
        int before = 0;
        for (int n : seen.reads()) {
            assertTrue(n > 0 && before + n <= seen.written(), "a read returned more than was written: " + seen);
            before += n;
        }
        // Everything was in the pipe before the first read, and a pipe read takes all it can: one read.
        assertEquals(List.of(seen.written()), seen.reads());
    }

    @ParameterizedTest
    @MethodSource("pipes")
    void capacityIsExactlyWhatFGetpipeSzReports(PipeLikeExperiments pipe) throws Exception {
        PipeLikeExperiments.Fill fill = pipe.fill(dir);
        assertEquals(Libc.EAGAIN, fill.stop().errno(), fill.toString());
        assertEquals(fill.pipeSizeBytes(), fill.acceptedBytes(), fill.toString());
    }

    @ParameterizedTest
    @MethodSource("pipes")
    void descriptorsAreClosedAfterEachExperiment(PipeLikeExperiments pipe) throws Exception {
        runAll(pipe); // the first round may load classes and open jars
        long before = openDescriptors();
        runAll(pipe);
        runAll(pipe);
        // a leak would raise the count; it may fall, when the JVM closes one of its own meanwhile (seen in CI: 45 → 44)
        long after = openDescriptors();
        assertTrue(after <= before, "open descriptors went from " + before + " to " + after);
    }

    private void runAll(PipeLikeExperiments pipe) throws Exception {
        pipe.directionProbe(dir);
        pipe.boundaries(dir);
        pipe.fill(dir);
    }

    static long openDescriptors() throws Exception {
        try (Stream<Path> fds = java.nio.file.Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}

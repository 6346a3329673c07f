package org.ipclab.comparison.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.Property;
import org.ipclab.core.experiments.TransportExperiments;
import org.ipclab.report.model.Results.PropertyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generic runner with a fake transport's experiments: one experiment throws, one hangs, the rest answer; the
 * failing cells say "failed: reason" and every other cell of the matrix stands.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PropertyRunnerTest {

    @TempDir
    Path scratch;

    /** Answers every property with "fine", except capacity (throws) and many clients (never returns). */
    private static final class Fake implements TransportExperiments {
        private final String id;

        Fake(String id) {
            this.id = id;
        }

        private Cell fine(Path dir) {
            assertTrue(Files.isDirectory(dir), "each experiment gets its own directory");
            return Cell.measured("fine", "the fake " + id + " said so");
        }

        @Override
        public String transport() {
            return id;
        }

        @Override
        public Cell direction(Path dir) {
            return fine(dir);
        }

        @Override
        public Cell messageBoundaries(Path dir) {
            return fine(dir);
        }

        @Override
        public Cell capacityBeforeWriterBlocks(Path dir) throws IOException {
            throw new IOException("Connection refused");
        }

        @Override
        public Cell senderWithNoPeer(Path dir) {
            return fine(dir);
        }

        @Override
        public Cell survivesCrash(Path dir) {
            return Cell.notDemonstrated("not here", "needs a kernel this machine lacks");
        }

        @Override
        public Cell whoCanConnect(Path dir) {
            return fine(dir);
        }

        @Override
        public Cell manyClients(Path dir) throws InterruptedException {
            Thread.sleep(60_000);
            return fine(dir);
        }
    }

    @Test
    void aFailingOrHangingExperimentMarksItsCellAndTheRestStands() throws IOException {
        List<String> progress = new ArrayList<>();
        List<PropertyResult> results = PropertyExperiments.runAll(List.of(new Fake("fake-a"), new Fake("fake-b")),
                Duration.ofSeconds(1), scratch, progress::add);

        assertEquals(2 * Property.values().length, results.size());
        List<String> labels = Arrays.stream(Property.values()).map(Property::label).toList();
        assertEquals(labels, results.subList(0, labels.size()).stream().map(PropertyResult::property).toList());
        assertEquals(results.stream().map(r -> r.transport() + ": " + r.property()).toList(), progress);
        for (PropertyResult r : results) {
            if (r.property().equals(Property.CAPACITY.label())) {
                assertEquals("failed: ECONNREFUSED (Connection refused)", r.value());
                assertFalse(r.observed());
            } else if (r.property().equals(Property.MANY_CLIENTS.label())) {
                assertEquals("failed: timed out after 1 s", r.value());
                assertTrue(r.evidence().contains("did not finish"), r.evidence());
                assertFalse(r.observed());
            } else if (r.property().equals(Property.SURVIVES_CRASH.label())) {
                assertEquals("not here", r.value());
                assertFalse(r.observed());
            } else {
                assertEquals("fine", r.value(), r.property());
                assertTrue(r.observed());
            }
        }
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(List.of(), left.toList(), "the runner removes every experiment's directory");
        }
    }
}

package org.ipclab.queue.chronicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.experiments.Boundaries;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What a Chronicle queue must show: whole documents, every reader reads everything, one order for all. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ChronicleExperimentsTest {

    @TempDir
    Path dir;

    private final ChronicleExperiments chronicle = new ChronicleExperiments();

    @Test
    void everyTailerReadsEveryDocument() throws Exception {
        ChronicleExperiments.Direction seen = chronicle.directionProbe(dir);
        assertEquals(seen.written(), seen.firstTailer());
        assertEquals(seen.written(), seen.secondTailer());
    }

    @Test
    void everyReadReturnsExactlyOneDocumentOfTheSizeAppended() throws Exception {
        Boundaries seen = chronicle.boundaries(dir);
        assertEquals(seen.writes(), seen.reads());
    }

    @Test
    void documentsAppendedWithNoReaderAreReadLater() throws Exception {
        ChronicleExperiments.Later seen = chronicle.laterProbe(dir);
        assertEquals(seen.appended(), seen.readLater());
    }

    @Test
    void concurrentAppendersMakeOneOrderedLog() throws Exception {
        ChronicleExperiments.ManyAppenders seen = chronicle.manyAppendersProbe(dir);
        assertEquals(seen.total(), seen.intact(), seen.toString());
        assertEquals(seen.total(), seen.inWriterOrder(), seen.toString());
        assertTrue(seen.indexesIncrease());
    }
}

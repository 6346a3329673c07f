package org.ipclab.pipe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.Libc;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The pipe and FIFO experiments where the two differ: how they are reached, and what happens with no peer. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PipeAndFifoExperimentsTest {

    @TempDir
    Path dir;

    private final PipeExperiments pipe = new PipeExperiments();
    private final FifoExperiments fifo = new FifoExperiments();

    @Test
    void writingIntoAPipeWithNoReaderFailsWithEpipe() throws Exception {
        assertEquals(Libc.EPIPE, pipe.writeWithNoReader().errno());
    }

    @Test
    void aPipeWhoseReaderWasKilledRefusesFurtherWritesWithEpipe() throws Exception {
        PipeExperiments.Crash seen = pipe.crashProbe();
        assertEquals(137, seen.exitCode());
        assertEquals(Libc.EPIPE, seen.nextWrite().errno(), seen.toString());
    }

    @Test
    void aChildsStdinIsTheSamePipeAsOneOfOurDescriptors() throws Exception {
        PipeExperiments.Related seen = pipe.relatedProbe();
        assertTrue(seen.childStdin().matches("pipe:\\[\\d+]"), seen.toString());
        assertFalse(seen.oursToo().isEmpty(), seen.toString());
        assertFalse(ProcessHandle.of(seen.childPid()).map(ProcessHandle::isAlive).orElse(false), "the child must be gone");
    }

    @Test
    void everyChildGetsItsOwnPipePairAndOnlyItsOwnBytes() throws Exception {
        PipeExperiments.Children seen = pipe.childrenProbe();
        assertEquals(2 * seen.children(), seen.distinctPipes(), seen.toString());
        assertEquals(seen.children(), seen.intactEchoes(), seen.toString());
    }

    @Test
    void aFifoWriterWithNoReaderGetsEnxioOrWaits() throws Exception {
        FifoExperiments.NoReader seen = fifo.noReaderProbe(dir);
        assertEquals(Libc.ENXIO, seen.nonBlockingOpen().errno(), seen.toString());
        assertTrue(seen.blockingOpenWaited(), "a blocking open must wait for a reader");
        assertFalse(seen.blockingOpenAfterReader().failed(), seen.toString());
    }

    @Test
    void aFifoLosesUnreadBytesOnceItsLastDescriptorCloses() throws Exception {
        FifoExperiments.Crash seen = fifo.crashProbe(dir);
        assertEquals(137, seen.exitCode());
        assertEquals(Libc.EPIPE, seen.nextWrite().errno(), seen.toString());
        assertEquals(0, seen.laterRead().result(), "a later reader must find nothing: " + seen);
    }

    @Test
    void writesUpToPipeBufNeverInterleave() throws Exception {
        FifoExperiments.Interleaving seen = fifo.interleaving(dir, FifoExperiments.SMALL_RECORD_BYTES,
                FifoExperiments.SMALL_RECORDS_PER_WRITER);
        assertEquals((long) seen.records() * seen.recordBytes(), seen.bytesRead(), seen.toString());
        assertEquals(seen.records(), seen.wholeRecords(), seen.toString());
    }

    @Test
    void bigWritesStillDeliverEveryByte() throws Exception {
        FifoExperiments.Interleaving seen = fifo.interleaving(dir, FifoExperiments.LARGE_RECORD_BYTES,
                FifoExperiments.LARGE_RECORDS_PER_WRITER);
        // Whether they interleave depends on scheduling; that every byte arrives does not.
        assertEquals((long) seen.records() * seen.recordBytes(), seen.bytesRead(), seen.toString());
    }

    @Test
    void aFifoIsAFileWithOwnerOnlyMode() throws Exception {
        Cell cell = fifo.whoCanConnect(dir);
        assertTrue(cell.value().contains("prw-------"), cell.value());
    }
}

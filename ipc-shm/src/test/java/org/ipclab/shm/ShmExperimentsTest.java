package org.ipclab.shm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.experiments.Boundaries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the rings and the segment must show, whatever the machine. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ShmExperimentsTest {

    private final ShmExperiments shm = new ShmExperiments("shm");

    @BeforeAll
    static void available() {
        assumeTrue(ShmSegment.unavailableReason().isEmpty(), () -> "needs /dev/shm and futex(2): " + ShmSegment.unavailableReason().orElse(""));
    }

    @AfterEach
    void noSegmentIsLeft() throws Exception {
        assertEquals(List.of(), ShmSegment.leftovers("exp-" + ProcessHandle.current().pid() + "-"));
    }

    @Test
    void bytesWrittenToTheServerNeverShowUpInTheReplyRing() throws Exception {
        ShmExperiments.Direction seen = shm.directionProbe();
        assertEquals(5, seen.sent());
        assertEquals(5, seen.arrivedAtServer());
        assertEquals(0, seen.inReplyRing());
    }

    @Test
    void threeWritesAreReadAsOneRunOfBytes() throws Exception {
        Boundaries seen = shm.boundaries();
        assertEquals(List.of(60), seen.reads());
    }

    @Test
    void theRingTakesExactlyItsCapacityThenNoMore() throws Exception {
        ShmExperiments.Fill fill = shm.fill();
        assertEquals(fill.capacity(), fill.bytes());
        assertEquals(0, fill.lastOffer());
    }

    @Test
    void aClientOfNobodyFailsSayingSoAndAReaderlessRingFillsWithoutError() throws Exception {
        ShmExperiments.NoPeer seen = shm.noPeerProbe();
        assertTrue(seen.connectError().startsWith("no shm server named"), seen.connectError());
        assertEquals(seen.ringCapacity(), seen.acceptedWithNoReader());
    }

    @Test
    void bytesOutliveTheWriterKilledWithSigkill() throws Exception {
        ShmExperiments.Crash seen = shm.crashProbe();
        assertEquals(137, seen.exitCode());
        assertEquals(ShmExperiments.SURVIVOR, seen.text());
    }

    @Test
    void theSegmentIsTheOwnersAlone() throws Exception {
        String value = shm.whoCanConnect(null).value();
        assertTrue(value.endsWith("rw-------"), value);
    }

    @Test
    void aSharedFutexWakeReachesASleeperInAnotherProcessAndAPrivateOneIsLostSilently() throws Exception {
        ShmExperiments.FutexWakes seen = shm.futexProbe();
        assertEquals(1, seen.sharedWoken(), seen.toString());
        assertEquals("woken", seen.sharedWaitEnded(), seen.toString());
        assertEquals(0, seen.privateWoken(), "FUTEX_WAKE_PRIVATE found nobody: " + seen);
        assertEquals("timed out", seen.privateWaitEnded(), seen.toString());
    }

    @Test
    void everyClientGetsItsOwnSlotAndItsOwnEcho() throws Exception {
        ShmExperiments.Many seen = shm.manyProbe();
        assertEquals(seen.clients(), seen.intact());
        assertEquals(seen.clients(), seen.slots().stream().distinct().count(), seen.slots().toString());
    }
}

package org.ipclab.sysv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.experiments.Boundaries;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What every Linux System V message queue must show, whatever its limits. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SysvMqExperimentsTest {

    private final SysvMqExperiments sysv = new SysvMqExperiments();
    private List<Integer> keysBefore;

    @BeforeEach
    void available() throws Exception {
        assumeTrue(SysvNative.unavailableReason().isEmpty(), () -> "needs System V IPC: " + SysvNative.unavailableReason().orElse(""));
        keysBefore = SysvMqTestSupport.keys();
    }

    /** Private queues have key 0 in /proc/sysvipc/msg: as many as before means each experiment removed its own. */
    @AfterEach
    void noQueueIsLeft() throws Exception {
        if (keysBefore != null) {
            assertEquals(keysBefore.stream().filter(k -> k == 0).count(),
                    SysvMqTestSupport.keys().stream().filter(k -> k == 0).count(), "private queues left behind");
        }
    }

    @Test
    void aReaderOfOneTypeSkipsOlderMessagesOfAnother() throws Exception {
        SysvMqExperiments.Direction seen = sysv.directionProbe();
        assertArrayEquals("to client 2".getBytes(), seen.typeTwoGot());
        assertEquals(1, seen.typeOneStillQueued());
        assertArrayEquals("to the server".getBytes(), seen.typeOneGot());
    }

    @Test
    void everyReceiveReturnsExactlyOneMessageOfTheSizeSent() throws Exception {
        Boundaries seen = sysv.boundaries();
        assertEquals(seen.writes(), seen.reads());
    }

    @Test
    void aFullQueueSaysEagainAtMsgQbytesAndOneByteOverMsgmaxIsEinval() throws Exception {
        SysvMqExperiments.Fill fill = sysv.fill();
        assertEquals(SysvNative.EAGAIN, fill.stopErrno(), fill.toString());
        assertEquals(fill.qbytes() / fill.messageBytes(), fill.messages(), fill.toString());
        assertEquals(SysvNative.EINVAL, fill.overMaxErrno(), fill.toString());
    }

    @Test
    void messagesSentToNobodyWaitForALaterReader() throws Exception {
        SysvMqExperiments.Later seen = sysv.laterProbe();
        assertEquals(seen.sent(), seen.waiting());
        assertEquals(seen.sent(), seen.receivedLater());
    }

    @Test
    void aMessageOutlivesTheSenderThatWasKilled() throws Exception {
        SysvMqExperiments.Crash seen = sysv.crashProbe();
        assertEquals(137, seen.exitCode());
        assertEquals(1, seen.waitingAfterKill());
        assertEquals(seen.childPid(), seen.lastSenderPid());
        assertEquals(seen.sentBytes(), seen.receivedBytes());
    }

    @Test
    void eachClientGetsOnlyItsOwnRepliesFromOneSharedQueue() throws Exception {
        SysvMqExperiments.Multiplexed seen = sysv.multiplexProbe();
        assertEquals(seen.total(), seen.ownReplies(), seen.toString());
        assertEquals(0, seen.foreignReplies(), seen.toString());
    }

    @Test
    void everyPropertyIsMeasured(@TempDir Path dir) throws Exception {
        List<String> failed = new ArrayList<>();
        for (Property p : Property.values()) {
            Cell cell = sysv.run(p, dir);
            if (cell.value().isBlank() || cell.evidence().isBlank()) {
                failed.add(p.label());
            }
        }
        assertTrue(failed.isEmpty(), "empty cells: " + failed);
    }
}

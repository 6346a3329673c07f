package org.ipclab.queue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.experiments.Boundaries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What every Linux POSIX message queue must show, whatever its limits. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PosixMqExperimentsTest {

    private final PosixMqExperiments mq = new PosixMqExperiments();

    @AfterEach
    void noQueueIsLeft() throws Exception {
        assertEquals(List.of(), Mq.leftovers());
    }

    @Test
    void eachDescriptorGoesOneWayAndAnRdwrOneHearsItself() throws Exception {
        PosixMqExperiments.Direction seen = mq.directionProbe();
        assertEquals(PosixMqExperiments.EBADF, seen.receiveOnWriteOnly(), seen.toString());
        assertEquals(PosixMqExperiments.EBADF, seen.sendOnReadOnly(), seen.toString());
        assertEquals(5, seen.delivered());
        assertTrue(seen.ownMessageBack());
    }

    @Test
    void everyReceiveReturnsExactlyOneMessageOfTheSizeSent() throws Exception {
        Boundaries seen = mq.boundaries();
        assertEquals(seen.writes(), seen.reads());
    }

    @Test
    void aFullQueueSaysEagainAfterExactlyMqMaxmsgMessages() throws Exception {
        PosixMqExperiments.Fill fill = mq.fill();
        assertEquals(PosixMqExperiments.EAGAIN, fill.stopErrno(), fill.toString());
        assertEquals(fill.maxMessages(), fill.messages(), fill.toString());
    }

    @Test
    void messagesSentToNobodyWaitForALaterReader() throws Exception {
        PosixMqExperiments.Later seen = mq.laterProbe();
        assertEquals(seen.sent(), seen.waitingAfterSenderClosed());
        assertEquals(seen.sent(), seen.receivedLater());
    }

    @Test
    void aMessageOutlivesTheReaderThatWasKilled() throws Exception {
        PosixMqExperiments.Crash seen = mq.crashProbe();
        assertEquals(137, seen.exitCode());
        assertEquals(1, seen.waitingAfterKill());
        assertEquals(seen.sentBytes(), seen.receivedAfterwards().length);
    }

    @Test
    void manySendersNeverMixTheirMessagesAndEachKeepsItsOrder() throws Exception {
        PosixMqExperiments.ManySenders seen = mq.manySendersProbe();
        assertEquals(seen.total(), seen.intact(), seen.toString());
        assertEquals(seen.total(), seen.inSenderOrder(), seen.toString());
    }
}

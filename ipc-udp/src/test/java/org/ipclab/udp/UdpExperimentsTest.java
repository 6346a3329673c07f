package org.ipclab.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every property experiment of udp runs here and says what the kernel did. */
@Timeout(30)
class UdpExperimentsTest {

    @TempDir
    Path dir;

    private final UdpExperiments experiments = new UdpExperiments();

    @Test
    void everyPropertyIsObserved() throws Exception {
        for (Property property : Property.values()) {
            Cell cell = experiments.run(property, dir);
            assertTrue(cell.observed(), property + ": " + cell);
            assertTrue(!cell.value().isBlank() && !cell.evidence().isBlank(), property + ": " + cell);
        }
    }

    @Test
    void threeSendsAreThreeReceivesEachItsOwnSize() throws Exception {
        Cell cell = experiments.messageBoundaries(dir);
        assertEquals("kept: 3 sends, 3 receives of 5, 300, 1 B", cell.value(), cell.evidence());
        assertTrue(cell.evidence().contains("returned 100 bytes"), cell.evidence());
    }

    @Test
    void aBlastIntoASmallReceiveBufferLosesDatagramsAndTheKernelCountsThem() throws Exception {
        UdpExperiments.Loss loss = UdpExperiments.blast();
        assertTrue(loss.arrived() > 0 && loss.lost() > 0, loss.toString());
        assertTrue(loss.arrived() * UdpExperiments.BLAST_DATAGRAM_BYTES <= 4 * loss.rcvbufBytes(),
                "no more arrived than the small buffer holds: " + loss);
        // the counter is the whole namespace's: at least our drops (other sockets may add their own)
        loss.rcvbufErrors().ifPresent(d -> assertTrue(d >= loss.lost(), loss.toString()));
    }

    @Test
    void noConnectionSoNoBacklogAndOneSocketServesEveryClient() throws Exception {
        Cell who = experiments.whoCanConnect(dir);
        assertTrue(who.value().contains("no backlog") && who.evidence().contains("does not arise"), who.toString());
        Cell many = experiments.manyClients(dir);
        assertEquals("one socket serves all: 4/4 echoed", many.value(), many.evidence());
        Cell none = experiments.senderWithNoPeer(dir);
        assertTrue(none.value().startsWith("send succeeds"), none.toString());
    }
}

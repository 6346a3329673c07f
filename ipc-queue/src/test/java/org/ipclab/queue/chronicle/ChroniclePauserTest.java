package org.ipclab.queue.chronicle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import net.openhft.chronicle.threads.BusyPauser;
import net.openhft.chronicle.threads.Pauser;

/** The waiting strategy is explicit, and "busy" really spins, whatever the CPU count. */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChroniclePauserTest {

    @TempDir
    Path tempDir;

    @Test
    void onASmallMachineChroniclesOwnBusyPauserSleeps() {
        int cpus = Runtime.getRuntime().availableProcessors();
        assumeTrue(cpus < Pauser.MIN_PROCESSORS, "needs fewer than " + Pauser.MIN_PROCESSORS + " CPUs (this machine has " + cpus + ", where Chronicle keeps busy() busy): run under taskset -c 0,1");
        // The trap this class avoids: asked for busy, handed a sleeping LongPauser.
        assertFalse(Pauser.busy().isBusy(), "Pauser.busy() on " + cpus + " CPUs");
        assertFalse(Pauser.busy() instanceof BusyPauser);
    }

    @Test
    void busyIsBusyPauserWhateverTheCpuCount() {
        assertSame(BusyPauser.INSTANCE, ChroniclePauser.BUSY.create());
        assertTrue(ChroniclePauser.BUSY.create().isBusy());
        assertFalse(ChroniclePauser.SLEEPY.create().isBusy());
        assertEquals("BusyPauser (spins)", ChroniclePauser.describe(ChroniclePauser.BUSY.create()));
    }

    @Test
    void serverAndClientReportThePauserTheyReallyUse() throws Exception {
        Map<String, String> busy = Map.of(ChroniclePauser.OPTION, "busy");
        StringBuilder log = new StringBuilder();
        try (ChronicleEchoServer server = ChronicleEchoServer.open(tempDir.resolve("q"),
                ServerSettings.defaults().withOptions(busy).withLog(line -> log.append(line).append('\n')));
             ChronicleEchoClient client = ChronicleEchoClient.connect(tempDir.resolve("q"),
                     ClientSettings.defaults().withOptions(busy))) {
            assertEquals(ChroniclePauser.BUSY, server.pauserKind());
            assertEquals("BusyPauser (spins)", server.pauserInUse());
            assertEquals("BusyPauser (spins)", client.pauserInUse());
            assertTrue(log.toString().contains("Waiting with the busy pauser, BusyPauser (spins): polls without pause"), log.toString());
            byte[] sent = {1, 2, 3, 4};
            byte[] echoed = new byte[4];
            for (int i = 0; i < 1000; i++) {
                client.roundTrip(sent, echoed, 4);
            }
            assertArrayEquals(sent, echoed);
        }
    }

    @Test
    void sleepyIsTheDefaultAndNamesParse() {
        assertEquals(ChroniclePauser.SLEEPY, ChroniclePauser.fromOptions(Map.of()));
        assertEquals(ChroniclePauser.BUSY, ChroniclePauser.parse("BUSY"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ChroniclePauser.parse("fast"));
        assertEquals("unknown pauser 'fast': choose one of busy, sleepy", e.getMessage());
    }
}

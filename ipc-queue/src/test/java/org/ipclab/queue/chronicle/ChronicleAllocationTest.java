package org.ipclab.queue.chronicle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The hot path allocates nothing: a round trip costs the client and the server's echo thread no heap. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChronicleAllocationTest {

    private static final int BATCH = 5_000;
    private static final int MAX_BATCHES = 40;

    @TempDir
    Path tempDir;

    @Test
    void roundTripsAllocateNothingOnEitherSide() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Path dir = tempDir.resolve("q");
        try (ChronicleEchoServer server = ChronicleEchoServer.open(dir, ServerSettings.defaults());
             ChronicleEchoClient client = ChronicleEchoClient.connect(dir, ClientSettings.defaults())) {
            long echoThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().startsWith("chronicle-echo ")).findFirst().orElseThrow().getId();
            byte[] sent = new byte[64];
            byte[] echoed = new byte[64];
            /* The JIT needs a while: until C2 compiles the loop, escape analysis has not yet removed the
             * short-lived objects of interpreted code. The claim is about the steady state: some batch of
             * round trips, once warm, allocates nothing at all on either side. */
            StringBuilder batches = new StringBuilder();
            for (int batch = 0; batch < MAX_BATCHES; batch++) {
                long clientBefore = threads.getCurrentThreadAllocatedBytes();
                long serverBefore = threads.getThreadAllocatedBytes(echoThread);
                for (int i = 0; i < BATCH; i++) {
                    sent[0] = (byte) i;
                    client.roundTrip(sent, echoed, sent.length);
                }
                long clientBytes = threads.getCurrentThreadAllocatedBytes() - clientBefore;
                long serverBytes = threads.getThreadAllocatedBytes(echoThread) - serverBefore;
                assertArrayEquals(sent, echoed);
                batches.append(String.format(" %d/%d", clientBytes, serverBytes));
                if (clientBytes == 0 && serverBytes == 0) {
                    System.out.printf("batch %d of %,d round trips of 64 B allocated nothing (client/server bytes per batch:%s)%n",
                            batch + 1, BATCH, batches);
                    return;
                }
            }
            fail("every batch of " + BATCH + " round trips allocated (client/server bytes):" + batches);
        }
    }
}

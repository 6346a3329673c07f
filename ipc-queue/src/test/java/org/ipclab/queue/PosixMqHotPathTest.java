package org.ipclab.queue;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The echo path allocates nothing per message, on the client's thread or the server's: messages go through
 * native buffers made once, deadlines through one reused struct timespec, and sessions are found without
 * boxing. Allocation would show up as garbage-collection pauses in the latency tail.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
@SuppressWarnings("try")   // try-with-resources keeps servers and queues open for a block, then closes them
class PosixMqHotPathTest {

    private static final int WARM_UP = 20_000;
    private static final int MEASURED = 10_000;

    @Test
    void aRoundTripAllocatesNothingOnTheClientOrTheServerThread() throws Exception {
        assumeTrue(MqNative.unavailableReason().isEmpty(), () -> "needs POSIX message queues (Linux, libc mq_open): " + MqNative.unavailableReason().orElse(""));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "needs a JVM that counts allocated bytes per thread (com.sun.management.ThreadMXBean, as HotSpot has)");
        String name = MqTestSupport.uniqueServerName();
        try (PosixMqEchoServer server = PosixMqEchoServer.open(name, ServerSettings.defaults());
             PosixMqEchoClient client = PosixMqEchoClient.connect(name, Duration.ofSeconds(10), 0)) {
            long serverThread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals("posix-mq-server " + name)).findFirst().orElseThrow().getId();
            long clientThread = Thread.currentThread().getId();
            // 10 KiB: two request messages per round trip, so splitting and reassembly are on the path too
            int size = 10 * 1024;
            byte[] sent = new byte[size];
            byte[] echoed = new byte[size];
            for (int i = 0; i < WARM_UP; i++) {
                client.roundTrip(sent, echoed, size);
            }
            long clientBefore = threads.getThreadAllocatedBytes(clientThread);
            long serverBefore = threads.getThreadAllocatedBytes(serverThread);
            for (int i = 0; i < MEASURED; i++) {
                client.roundTrip(sent, echoed, size);
            }
            double clientPerRoundTrip = (threads.getThreadAllocatedBytes(clientThread) - clientBefore) / (double) MEASURED;
            double serverPerRoundTrip = (threads.getThreadAllocatedBytes(serverThread) - serverBefore) / (double) MEASURED;
            // one small object per round trip would be 16 bytes or more
            assertTrue(clientPerRoundTrip < 1, "client thread allocates " + clientPerRoundTrip + " bytes per round trip");
            assertTrue(serverPerRoundTrip < 1, "server thread allocates " + serverPerRoundTrip + " bytes per round trip");
        }
    }
}

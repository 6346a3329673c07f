package org.ipclab.comparison.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;

import org.ipclab.report.backlog.JavaBacklog;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

@EnabledOnOs(OS.LINUX)
@Timeout(30)
class JavaBacklogsTest {

    @Test
    void javasRuleIsAppliedAndTheKernelNeverAppliesMoreThanItWasGiven() throws Exception {
        for (JavaBacklog j : JavaBacklogs.measure()) {
            if (j.call().startsWith("listen(fd")) {
                assertEquals(0, j.passedToListen(), j.toString());
            } else {
                int expected = j.requested() == null || j.requested() < 1 ? 50 : j.requested();
                assertEquals(expected, j.passedToListen(), j.toString());
            }
            if (j.kernelBacklog() != null) {
                assertTrue(j.kernelBacklog() <= j.passedToListen(), "the kernel only caps: " + j);
            }
        }
    }

    @Test
    void listenAgainThroughLibcChangesTheBacklogTheKernelReports() throws Exception {
        Assumptions.assumeTrue(NativeListen.unavailableReason() == null, () -> "needs listen(2) through libc (Linux, jnr-ffi): " + NativeListen.unavailableReason());
        Assumptions.assumeTrue(Ss.available(), "needs ss on the PATH (apt-get install iproute2)");
        try (ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 7);
            int port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
            assertEquals(7, Ss.listen(port).orElseThrow().sendQ());
            NativeListen.relisten(channel, 3);
            assertEquals(3, Ss.listen(port).orElseThrow().sendQ(), "our listen(fd, 3) reached the kernel");
            assertTrue(NativeListen.fileDescriptor(channel) > 2);
        }
    }
}

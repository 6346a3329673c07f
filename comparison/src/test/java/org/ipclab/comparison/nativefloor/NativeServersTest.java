package org.ipclab.comparison.nativefloor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.comparison.models.ServerModelSweep;
import org.ipclab.report.model.ServerModelResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The C servers under the server-design sweep: they echo every client, in one thread, and go when closed. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class NativeServersTest {

    static final int MANY = 30;

    @Test
    void bothDesignsEchoEveryClientFromOneThreadAndLeaveNothingBehind() throws Exception {
        assumeTrue(NativeFloor.findCompiler().isPresent(), "needs a C compiler: " + CCompiler.NO_COMPILER);
        List<String> notes = new ArrayList<>();
        List<ServerModelResult> points = new ArrayList<>();
        List<Long> pids = new ArrayList<>();
        try (NativeServers servers = NativeServers.compile()) {
            assertTrue(servers.builtFrom().contains("ipclab_servers.c"), servers.builtFrom());
            for (String design : NativeServers.DESIGNS) {
                points.addAll(ServerModelSweep.runNative(servers, design,
                        new ServerModelSweep.Settings(List.of(1, MANY), 3_000, 5), notes::add));
            }
            try (NativeServers.Server server = servers.start("epoll", 16)) {
                pids.add(server.pid());
            }
        }
        assertTrue(notes.isEmpty(), notes.toString());
        assertEquals(4, points.size(), points.toString());
        for (ServerModelResult point : points) {
            assertTrue(point.model().equals("c-iterative") || point.model().equals("c-epoll"), point.toString());
            assertEquals(0, point.unfinished(), point.toString());
            assertEquals((long) point.clients() * Math.max(5, 3_000 / point.clients()), point.echoes(), point.toString());
            // one thread serves every client in both designs: no thread per connection in C either
            assertEquals(1, point.threads(), point.toString());
            assertTrue(point.rssMiB() > 0 && point.rssMiB() < 50, point.toString());
        }
        // closing a server ends its process (its standard input closed)
        for (long pid : pids) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "C server " + pid + " still runs");
        }
    }

    @Test
    void anUnknownDesignIsRefusedWithTheKnownOnes() throws Exception {
        assumeTrue(NativeFloor.findCompiler().isPresent(), "needs a C compiler: " + CCompiler.NO_COMPILER);
        try (NativeServers servers = NativeServers.compile()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> servers.start("forking", 16));
            assertTrue(e.getMessage().contains("iterative") && e.getMessage().contains("epoll"), e.getMessage());
        }
    }
}

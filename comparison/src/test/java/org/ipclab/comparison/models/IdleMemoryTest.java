package org.ipclab.comparison.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.ipclab.report.model.ServerMemoryResult;
import org.ipclab.socket.ServerModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The memory check, small, with its real foreign client (python3, which .ci/run installs when missing). */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class IdleMemoryTest {

    static final IdleMemory.Settings SMALL = new IdleMemory.Settings(20, 3, 64 * 1024, 60);

    @TempDir
    Path dir;

    @Test
    void theForeignClientLoadsThenHoldsIdleConnectionsAndANewClientIsStillServed() throws Exception {
        assumeTrue(IdleMemory.unavailableReason().isEmpty(), "skipped: " + IdleMemory.unavailableReason().orElse(""));
        ServerMemoryResult threads = IdleMemory.run(ServerModel.THREADS, SMALL, dir);
        ServerMemoryResult nio = IdleMemory.run(ServerModel.NIO, SMALL, dir);
        for (ServerMemoryResult r : new ServerMemoryResult[] {threads, nio}) {
            assertEquals(60, r.idleConnections(), r.toString());
            assertTrue(r.rssAfterLoadMiB() > 10 && r.rssIdleMiB() > 10, "a JVM's resident memory: " + r);
            assertEquals((r.rssIdleMiB() - r.rssAfterLoadMiB()) * 1024 / 60, r.perConnectionKiB(), 2.0, r.toString());
            assertTrue(r.newClientEcho().value() > 0, r.toString());
            assertTrue(r.openFileLimit() >= 1024 || r.openFileLimit() == -1, "the server may hold its connections: " + r);
        }
        // a thread per connection shows in the thread count; the selector holds them all from one thread
        assertTrue(threads.threads() >= nio.threads() + 55, threads + " against " + nio);
    }
}

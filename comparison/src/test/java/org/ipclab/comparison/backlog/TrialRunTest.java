package org.ipclab.comparison.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.ipclab.report.backlog.Arrival;
import org.ipclab.report.backlog.BacklogSettings;
import org.ipclab.report.backlog.BacklogTrial;
import org.ipclab.report.backlog.ClientResult;
import org.ipclab.report.backlog.ConnectOutcome;
import org.ipclab.report.backlog.Fate;
import org.ipclab.report.backlog.TrialSummary;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The experiment's bookkeeping against the real kernel, without assuming what the kernel answers: every
 * client is accounted for once, the clients it counts as queued are the accept queue the kernel reports,
 * nothing is served before the server accepts, and nothing is left open.
 */
@EnabledOnOs(OS.LINUX)
@Timeout(30)
class TrialRunTest {

    private static BacklogSettings settings(long timeoutMs, Long acceptAfterMs) {
        return BacklogSettings.defaults().withConnectTimeoutMs(timeoutMs).withAcceptAfterMs(acceptAfterMs)
                .withNamespaceVariants(false, List.of());
    }

    @ParameterizedTest
    @EnumSource(Arrival.class)
    void everyClientIsAccountedForAndTheQueuedOnesMatchTheKernelsAcceptQueue(Arrival arrival) throws Exception {
        int socketsBefore = openSockets();
        Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();

        BacklogTrial t = BacklogExperiment.runTrial(1, arrival, 4, settings(400, null));

        TrialSummary s = t.summary();
        assertEquals(4, t.clientResults().size());
        assertEquals(4, s.fatesTotal(), "one fate per client: " + s);
        assertEquals(s.connected(), s.inAcceptQueue() + s.serverSynRecv() + s.clientOnly() + s.connectedOther(),
                "the connected clients split by what the server side held: " + s);
        assertNotNull(t.waiting().acceptQueue(), "the LISTEN row was found in /proc/net/tcp");
        assertEquals(t.waiting().acceptQueue(), s.inAcceptQueue(),
                "clients whose server side is ESTABLISHED = the listener's accept queue (rx_queue)");
        assertEquals(s.inAcceptQueue(), (int) t.waiting().serverSockets().getOrDefault("ESTABLISHED", 0));
        if (t.waiting().ssRecvQ() != null) {
            assertEquals(t.waiting().acceptQueue(), t.waiting().ssRecvQ(), "ss and /proc agree");
            assertEquals(t.kernelBacklog(), t.waiting().ssSendQ());
        }
        for (ClientResult c : t.clientResults()) {
            assertTrue(c.fate() != Fate.SERVED, "nobody reads, so nothing can be echoed: " + c);
            if (c.connect() == ConnectOutcome.TIMED_OUT) {
                assertTrue(c.connectMs() >= 400, "gave up only after its timeout: " + c);
                assertEquals(Fate.GAVE_UP, c.fate());
            }
            if (c.connect() == ConnectOutcome.CONNECTED) {
                assertTrue(c.probeSent(), "a connected client sends its probe: " + c);
            }
        }
        assertTrue(t.durationMs() < 5_000, "bounded by the connect timeout: " + t.durationMs());

        // other tests' sockets and threads may still be closing, so: none of ours is left
        assertTrue(openSockets() <= socketsBefore, "every socket of the trial is closed");
        Set<Thread> started = new HashSet<>(Thread.getAllStackTraces().keySet());
        started.removeAll(threadsBefore);
        assertTrue(started.isEmpty(), "the trial leaves no thread running: " + started);
    }

    @Test
    void servedClientsWereAcceptedAfterTheServerStartedAccepting() throws Exception {
        BacklogTrial t = BacklogExperiment.runTrial(0, Arrival.ALL_AT_ONCE, 3, settings(2_500, 200L));
        assertEquals(3, t.summary().fatesTotal());
        assertNotNull(t.acceptStartedMs());
        assertTrue(t.acceptStartedMs() >= 200, "not before --accept-after");
        assertTrue(t.waiting().atMs() <= t.acceptStartedMs(), "the waiting view is read before any accept()");
        for (ClientResult c : t.clientResults()) {
            if (c.fate() == Fate.SERVED) {
                assertNotNull(c.acceptedAtMs(), c.toString());
                assertTrue(c.acceptedAtMs() >= t.acceptStartedMs(), c.toString());
                assertTrue(c.echoAtMs() >= c.acceptedAtMs(), "echoed only after accept(): " + c);
            }
            if (c.acceptedAtMs() != null) {
                assertEquals(ConnectOutcome.CONNECTED, c.connect(), "only finished connections are accepted: " + c);
            }
        }
        if (NativeListen.unavailableReason() == null) {
            assertEquals(0, t.listenBacklog(), "backlog 0 reached listen(2) unchanged");
            if (t.kernelBacklog() != null) {
                assertEquals(0, t.kernelBacklog(), "and the kernel reports it back");
            }
        }
    }

    /** Sockets this JVM has open: /proc/self/fd entries that link to "socket:[...]". */
    static int openSockets() throws Exception {
        int n = 0;
        File[] fds = new File("/proc/self/fd").listFiles();
        for (File fd : fds == null ? new File[0] : fds) {
            try {
                if (Files.readSymbolicLink(fd.toPath()).toString().startsWith("socket:")) {
                    n++;
                }
            } catch (java.io.IOException ignored) {
                // the directory's own fd closed while listing: not a socket
            }
        }
        return n;
    }

}

package org.ipclab.report.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TrialSummaryTest {

    private static ClientResult client(int n, ConnectOutcome outcome, Double connectMs, String clientState,
                                       String serverState, Fate fate) {
        return new ClientResult(n, 40000 + n, 0.0, outcome, connectMs, null, clientState, serverState, null, null,
                null, List.of(), null, null, false, null, null, fate);
    }

    @Test
    void countsEveryClientOnceAndSplitsTheConnectedOnesByTheServerSide() {
        List<ClientResult> clients = List.of(
                client(1, ConnectOutcome.CONNECTED, 0.1, "ESTABLISHED", "ESTABLISHED", Fate.SERVED),
                client(2, ConnectOutcome.CONNECTED, 0.1, "ESTABLISHED", "SYN_RECV", Fate.SERVED),
                client(3, ConnectOutcome.CONNECTED, 0.1, "ESTABLISHED", "NONE", Fate.UNSERVED),
                client(4, ConnectOutcome.CONNECTED, 2000.0, "SYN_SENT", "NONE", Fate.SERVED),   // after the view
                client(5, ConnectOutcome.TIMED_OUT, 500.0, "CLOSED", "NONE", Fate.GAVE_UP),     // before the view
                client(6, ConnectOutcome.RESET, 2000.0, "SYN_SENT", "NONE", Fate.RESET),
                client(7, ConnectOutcome.PENDING, null, "SYN_SENT", "NONE", Fate.UNSERVED));
        TrialSummary s = TrialSummary.of(clients, 1000.0);
        assertEquals(7, s.clients());
        assertEquals(3, s.connected());
        assertEquals(1, s.inAcceptQueue());
        assertEquals(1, s.serverSynRecv());
        assertEquals(1, s.clientOnly());
        assertEquals(s.connected(), s.inAcceptQueue() + s.serverSynRecv() + s.clientOnly() + s.connectedOther());
        assertEquals(3, s.connecting());
        assertEquals(1, s.failedEarly());
        assertEquals(3, s.served());
        assertEquals(1, s.gaveUp());
        assertEquals(1, s.reset());
        assertEquals(2, s.unserved());
        assertEquals(7, s.fatesTotal());
    }
}

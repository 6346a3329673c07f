package org.ipclab.report.backlog;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Small made-up reports for the renderer tests: no kernel involved. */
final class Fixtures {

    private Fixtures() {
    }

    static KernelSettings kernel() {
        return new KernelSettings(4096, 2048, 0, 1, 6, 5, 4);
    }

    /**
     * A trial in which {@code queued} clients connect at once and the rest wait in SYN_SENT, retransmit after
     * 1 s and get in at 2 s once the server accepts at 1.5 s; {@code refused} of the waiting ones are
     * refused instead.
     */
    static BacklogTrial trial(int backlog, Arrival arrival, int clients, int queued, int refused) {
        List<ClientResult> results = new ArrayList<>();
        for (int i = 1; i <= clients; i++) {
            boolean inQueue = i <= queued;
            boolean isRefused = !inQueue && i > clients - refused;
            if (inQueue) {
                results.add(new ClientResult(i, 40000 + i, 1.0 * i, ConnectOutcome.CONNECTED, 0.2, null,
                        "ESTABLISHED", "ESTABLISHED", 0, 0, 16, List.of(), null, null, true, 1510.0, 1511.0,
                        Fate.SERVED));
            } else if (isRefused) {
                results.add(new ClientResult(i, 40000 + i, 1.0 * i, ConnectOutcome.REFUSED, 0.3,
                        "ConnectException: Connection refused", "CLOSED", "NONE", null, null, null, List.of(),
                        null, null, false, null, null, Fate.REFUSED));
            } else {
                results.add(new ClientResult(i, 40000 + i, 1.0 * i, ConnectOutcome.CONNECTED, 2040.0, null,
                        "SYN_SENT", "NONE", 1, null, null, List.of(1000.0 + i), null, null, true, 2050.0, 2051.0,
                        Fate.SERVED));
            }
        }
        Map<String, Integer> clientSide = new LinkedHashMap<>();
        clientSide.put("ESTABLISHED", queued);
        if (clients - queued - refused > 0) {
            clientSide.put("SYN_SENT", clients - queued - refused);
        }
        KernelView view = new KernelView(1500.0, queued, queued, backlog, clientSide, Map.of("ESTABLISHED", queued),
                Map.of("TcpExt.ListenOverflows", 8L));
        return new BacklogTrial(backlog, backlog, "ServerSocketChannel.bind(address, " + backlog + ")", backlog,
                arrival, clients, 3000, 1500L, 0, 1500.2, view, Map.of("TcpExt.ListenOverflows", 8L), results,
                TrialSummary.of(results, view.atMs()), 2100.0);
    }

    static BacklogReport report(List<BacklogTrial> trials, List<NamespaceVariant> variants) {
        List<JavaBacklog> java = List.of(new JavaBacklog("new ServerSocket(port, 0, address)", 0, 50, 50));
        return new BacklogReport(BacklogReport.SCHEMA, "2026-01-01T00:00:00Z", 12.5, "6.18.0-test", "17 (test)", 0.5, 0.7,
                kernel(), BacklogSettings.defaults(), java, SynSchedule.derive(6, 4), trials, variants,
                variants.isEmpty() ? "not requested" : null, List.of("a note"));
    }

    /** Queue = B + offset in every trial; 4 clients left waiting. */
    static BacklogReport sweep(int offset) {
        List<BacklogTrial> trials = new ArrayList<>();
        for (int b : List.of(0, 1, 2, 4)) {
            int queued = b + offset;
            trials.add(trial(b, Arrival.ONE_BY_ONE, queued + 4, queued, 0));
            trials.add(trial(b, Arrival.ALL_AT_ONCE, queued + 4, queued, 0));
        }
        return report(trials, List.of());
    }
}

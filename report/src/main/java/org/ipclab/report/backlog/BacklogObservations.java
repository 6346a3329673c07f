package org.ipclab.report.backlog;

import static org.ipclab.report.backlog.BacklogFormat.formatSeconds;
import static org.ipclab.report.backlog.BacklogFormat.joinSeconds;
import static org.ipclab.report.backlog.BacklogFormat.retransmitDelaysS;
import static org.ipclab.report.backlog.BacklogFormat.round1;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/** What a backlog run observed on this machine, one paragraph per point, each derived from its numbers. */
final class BacklogObservations {

    private final BacklogReport report;
    private final BacklogFindings findings;

    BacklogObservations(BacklogReport report, BacklogFindings findings) {
        this.report = report;
        this.findings = findings;
    }

    /** What this run observed, one paragraph per point, all derived from its numbers. */
    List<String> observations() {
        List<String> out = new ArrayList<>();
        List<BacklogTrial> trials = report.trials();
        if (trials.isEmpty()) {
            return out;
        }
        String rule = findings.queueRule();
        if (rule != null) {
            StringBuilder s = new StringBuilder("Accept queue: in every trial where clients were left out, the "
                    + "LISTEN row of `/proc/net/tcp` showed " + rule + " connections waiting (rx_queue)");
            boolean ssAgrees = true;
            boolean haveSs = false;
            for (BacklogTrial t : findings.saturated()) {
                if (t.waiting().ssRecvQ() != null) {
                    haveSs = true;
                    ssAgrees &= t.waiting().ssRecvQ().equals(t.waiting().acceptQueue());
                }
            }
            if (haveSs) {
                s.append(ssAgrees ? ", and `ss -ltn` agreed (Recv-Q " + rule + ", Send-Q B)"
                        : "; `ss -ltn` Recv-Q differed in some trials (see the tables)");
            }
            s.append('.');
            boolean same = true;
            for (BacklogTrial t : findings.saturated()) {
                same &= t.summary().connected() == t.summary().inAcceptQueue();
            }
            if (same) {
                s.append(" The clients that counted themselves connected were exactly the ones the server's kernel "
                        + "held as finished connections (`ESTABLISHED` rows on the server's port).");
            }
            if ("B+1".equals(rule)) {
                s.append(" So the cap is backlog + 1, not backlog: Linux turns a connection away only when the "
                        + "queue is already longer than the backlog (the listen(2) page does not say so; the "
                        + "kernel's source and this measurement do).");
            } else {
                s.append(" The common statement for Linux is B+1; this run measured ").append(rule)
                        .append(", and the measurement wins.");
            }
            out.add(s.toString());
        }

        int probed = 0;
        int acked = 0;
        int queuedBytes = -1;
        for (BacklogTrial t : trials) {
            for (ClientResult c : t.clientResults()) {
                if ("ESTABLISHED".equals(c.serverState()) && c.probeSent() && c.unackedBytes() != null) {
                    probed++;
                    if (c.unackedBytes() == 0 && c.serverQueuedBytes() != null && c.serverQueuedBytes() > 0) {
                        acked++;
                        queuedBytes = c.serverQueuedBytes();
                    }
                }
            }
        }
        if (probed > 0) {
            out.add("Sending before accept(): each queued client wrote a probe and waited for its echo. For "
                    + acked + " of " + probed + " the server's kernel had acknowledged the bytes (0 unacknowledged on "
                    + "the client) and held them in the unaccepted socket (" + queuedBytes + " bytes in its receive "
                    + "queue). No echo came back while the server was not accepting: the kernel completes "
                    + "handshakes and buffers data, but only the program echoes, after accept() and read().");
        }

        List<Double> retx = retransmitDelaysS(trials);
        if (!retx.isEmpty()) {
            SynSchedule model = report.synSchedule();
            StringBuilder s = new StringBuilder("Retrying: `/proc/net/tcp` (sampled every 100 ms) showed the waiting "
                    + "clients retransmit their SYN after " + joinSeconds(retx) + " (from each client's start)");
            if (model != null) {
                s.append("; the kernel's settings predict SYNs at ").append(joinSeconds(model.synSentAtS()
                        .subList(1, Math.min(model.synSentAtS().size(), 6)))).append("…");
            }
            s.append(". Every retransmission that found the queue still full was dropped again.");
            out.add(s.toString());
        }

        StringBuilder late = new StringBuilder();
        for (BacklogTrial t : trials) {
            if (t.acceptStartedMs() == null) {
                continue;
            }
            TreeSet<Double> joined = new TreeSet<>();
            for (ClientResult c : t.clientResults()) {
                Double at = c.connectedAtMs();
                if (at != null && at > t.acceptStartedMs()) {
                    joined.add(round1(at / 1000));
                }
            }
            if (!joined.isEmpty() && late.length() == 0) {
                late.append("After accepting began (at ").append(formatSeconds(round1(t.acceptStartedMs() / 1000)))
                        .append("), the clients that were still retrying got in when their next SYN arrived: e.g. "
                                + "backlog ").append(t.backlog()).append(", ").append(t.arrival().label())
                        .append(", at ").append(joinSeconds(new ArrayList<>(joined))).append(" after the server "
                                + "listened. None of them learned that the server had been full: to them it was a "
                                + "slow connect().");
            }
        }
        if (late.length() > 0) {
            out.add(late.toString());
        }

        List<String> delayed = new ArrayList<>();
        for (BacklogTrial t : trials) {
            if (t.acceptAfterMs() != null && t.acceptStartedMs() != null
                    && t.acceptStartedMs() - t.acceptAfterMs() > 100) {
                delayed.add("backlog " + t.backlog() + ", " + t.arrival().label() + ": "
                        + formatSeconds(round1(t.acceptStartedMs() / 1000)));
            }
        }
        if (!delayed.isEmpty()) {
            out.add("Late server: in " + delayed.size() + " trial(s) the server began accepting later than the "
                    + formatSeconds(report.settings().acceptAfterMs() == null ? 0 : report.settings().acceptAfterMs() / 1000.0)
                    + " it was set to (" + String.join("; ", delayed) + "), because this process did not get "
                    + "the CPU in time" + (report.loadBefore() != null ? " (load average " + report.loadBefore()
                    + " on this machine)" : "") + ". The kernel's side does not wait for us: the clients kept "
                    + "retransmitting on its timers, and those trials' clients met a server that was full for "
                    + "longer.");
        }

        int halfOpen = 0;
        int halfOpenSynRecv = 0;
        double lagSum = 0;
        int lagCount = 0;
        for (BacklogTrial t : trials) {
            for (ClientResult c : t.clientResults()) {
                if (c.halfOpenAtMs() != null) {
                    halfOpen++;
                    if ("SYN_RECV".equals(c.halfOpenServerState())) {
                        halfOpenSynRecv++;
                    }
                    if (c.acceptedAtMs() != null && c.connectedAtMs() != null) {
                        lagSum += c.acceptedAtMs() - c.connectedAtMs();
                        lagCount++;
                    }
                }
            }
        }
        if (halfOpen > 0) {
            out.add("Connected, but not on the server: " + halfOpen + " client(s) of the host trials saw connect() "
                    + "succeed while the server's kernel held no finished connection for them ("
                    + (halfOpen - halfOpenSynRecv) + " with nothing at all, " + halfOpenSynRecv + " with a half-open "
                    + "`SYN_RECV` request). A client is connected as soon as it gets the SYN-ACK and sends its ACK; "
                    + "the server decides only when that ACK arrives, and with the accept queue full again it drops "
                    + "it. These clients' probes went unacknowledged and were retransmitted; "
                    + (lagCount > 0 ? String.format(Locale.ROOT, "on average %.0f ms later", lagSum / lagCount)
                            : "later")
                    + " a retransmission found room and the server accepted them.");
        } else {
            out.add("Connected, but not on the server: not seen in the host trials (every client whose connect() "
                    + "succeeded also had a finished connection on the server's side at every 100 ms sample).");
        }

        long overflows = 0;
        long cookies = 0;
        for (BacklogTrial t : trials) {
            overflows += t.counterDeltas().getOrDefault("TcpExt.ListenOverflows", 0L);
            cookies += t.counterDeltas().getOrDefault("TcpExt.SyncookiesSent", 0L);
        }
        out.add("Kernel counters over the host trials: `TcpExt.ListenOverflows` +" + overflows
                + " (each dropped SYN or final ACK of a full queue counts once)"
                + (cookies > 0 ? ", `TcpExt.SyncookiesSent` +" + cookies + " (the SYN queue overflowed in a burst "
                + "of retransmitted SYNs and the kernel answered some with syncookies)" : "")
                + ". These count the whole network namespace.");
        return out;
    }
}

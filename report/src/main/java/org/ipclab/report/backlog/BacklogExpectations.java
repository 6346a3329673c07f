package org.ipclab.report.backlog;

import static org.ipclab.report.backlog.BacklogFormat.joinSeconds;
import static org.ipclab.report.backlog.BacklogFormat.retransmitDelaysS;
import static org.ipclab.report.backlog.BacklogFormat.roundTenths;

import java.util.ArrayList;
import java.util.List;

/** Common expectations about the listen() backlog, each checked against this run. */
final class BacklogExpectations {

    private final BacklogReport report;
    private final BacklogFindings findings;

    BacklogExpectations(BacklogReport report, BacklogFindings findings) {
        this.report = report;
        this.findings = findings;
    }

    /** Common expectations against this run. */
    List<BacklogFindings.Check> expectations() {
        List<BacklogFindings.Check> checks = new ArrayList<>();
        String rule = findings.queueRule();
        checks.add(new BacklogFindings.Check("The accept queue holds backlog + 1 completed connections (Linux)",
                rule == null ? null : "B+1".equals(rule), rule == null ? "not measured (no trial filled its queue)"
                : "measured " + rule));
        int refused = 0;
        int timedOut = 0;
        int extra = 0;
        for (BacklogTrial t : report.trials()) {
            refused += t.summary().refused();
            extra += t.summary().connecting();
            for (ClientResult c : t.clientResults()) {
                if (c.connect() == ConnectOutcome.TIMED_OUT || c.connect() == ConnectOutcome.KERNEL_TIMED_OUT) {
                    timedOut++;
                }
            }
        }
        checks.add(new BacklogFindings.Check("Extra clients are refused (ECONNREFUSED)", extra == 0 && refused == 0 ? null : refused > 0,
                refused + " refused; " + extra + " left waiting in SYN-SENT while the server was not accepting; "
                        + timedOut + " timed out"));
        List<Double> retx = retransmitDelaysS(report.trials());
        BlockingConnect blocking = findings.blockingConnectMeasurement();
        String where = "by the host trials' clients";
        if (blocking != null && blocking.synSentAtS().size() > Math.max(retx.size(), 2)) {
            retx = roundTenths(blocking.synSentAtS().subList(1, blocking.synSentAtS().size()));
            where = "in the blocking-connect namespace";
        }
        if (retx.size() >= 2) {
            boolean exponential = Math.abs(retx.get(0) - 1) < 0.3 && Math.abs(retx.get(1) - 3) < 0.3;
            Integer linear = report.kernelSettings() == null ? null : report.kernelSettings().tcpSynLinearTimeouts();
            checks.add(new BacklogFindings.Check("Waiting clients retransmit their SYN with exponential backoff: 1 s, 3 s, 7 s …",
                    exponential, "SYN retransmissions " + where + " at " + joinSeconds(retx)
                    + (!exponential && linear != null ? " (this kernel's `tcp_syn_linear_timeouts` = " + linear
                    + ": the first retransmissions come 1 s apart, and the interval doubles only after them)"
                    : "")));
        } else if (retx.size() == 1) {
            checks.add(new BacklogFindings.Check("Waiting clients retransmit their SYN after 1 s first", Math.abs(retx.get(0) - 1) < 0.3,
                    "measured " + joinSeconds(retx) + " " + where));
        }
        int halfOpen = connectedWithoutServer(findings.allTrials());
        int onHost = connectedWithoutServer(report.trials());
        checks.add(new BacklogFindings.Check("A client's connect() can succeed although the server's accept queue is full",
                halfOpen > 0 ? Boolean.TRUE : null, halfOpen == 0 ? "not seen in this run"
                : "seen for " + halfOpen + " client(s)" + (onHost == halfOpen ? " in the host trials"
                : ": " + onHost + " in the host trials, " + (halfOpen - onHost) + " in the namespace variants")));
        for (NamespaceVariant v : report.variants()) {
            if (v.sysctls().containsKey("net.ipv4.tcp_abort_on_overflow") && v.error() == null) {
                int resets = VariantTotals.of(v.trials()).reset;
                checks.add(new BacklogFindings.Check("With tcp_abort_on_overflow=1 some clients are reset instead of retrying",
                        resets > 0, resets + " reset in the namespace variant"));
            }
        }
        return checks;
    }

    /** Clients whose connect() succeeded while the server's kernel held no finished connection for them. */
    private static int connectedWithoutServer(List<BacklogTrial> trials) {
        int n = 0;
        for (BacklogTrial t : trials) {
            for (ClientResult c : t.clientResults()) {
                if (c.halfOpenAtMs() != null) {
                    n++;
                }
            }
        }
        return n;
    }
}

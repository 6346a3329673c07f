package org.ipclab.report.backlog;

import static org.ipclab.report.backlog.BacklogFormat.formatSeconds;
import static org.ipclab.report.backlog.BacklogFormat.joinSeconds;
import static org.ipclab.report.backlog.BacklogFormat.roundTenths;

import java.util.ArrayList;
import java.util.List;

/** What the kernel's settings and Java imply for the backlog question, derived from the values read (a model where it says so). */
final class BacklogDerived {

    private final BacklogReport report;
    private final BacklogFindings findings;

    BacklogDerived(BacklogReport report, BacklogFindings findings) {
        this.report = report;
        this.findings = findings;
    }

    /** What the sysctls and Java imply, derived from the values read (a model where it says so). */
    List<String> derived() {
        List<String> out = new ArrayList<>();
        KernelSettings k = report.kernelSettings();
        SynSchedule model = report.synSchedule();
        if (model != null) {
            StringBuilder s = new StringBuilder("A plain blocking connect() to a server whose queue stays full "
                    + "waits until the kernel gives up: with `tcp_syn_retries` = " + model.synRetries());
            if (model.linearTimeouts() > 0) {
                s.append(" and `tcp_syn_linear_timeouts` = ").append(model.linearTimeouts());
            }
            s.append(", SYNs go out at ").append(joinSeconds(model.synSentAtS())).append(" and connect() fails with "
                    + "ETIMEDOUT after about ").append(formatSeconds(model.giveUpAfterS())).append(" (model: the "
                    + "kernel stops at the first timer expiry after (2^(retries+1) − 1) s").append(model.linearTimeouts() > 0
                    ? "; the timeout stays 1 s for the first " + model.linearTimeouts() + " backoffs, so the first "
                    + oneSecondApart(model.synSentAtS()) + " retransmissions come 1 s apart and more SYNs are sent "
                    + "than tcp_syn_retries says" : "").append(").");
            BlockingConnect measured = findings.blockingConnectMeasurement();
            if (measured != null && measured.measuredS() != null) {
                s.append(" Checked in a private namespace with `tcp_syn_retries` = ").append(measured.synRetries())
                        .append(": the model says SYNs at ").append(joinSeconds(measured.expected().synSentAtS()))
                        .append(" and giving up at ").append(formatSeconds(measured.expected().giveUpAfterS()))
                        .append("; measured SYNs at ").append(joinSeconds(roundTenths(measured.synSentAtS())))
                        .append(", and connect() blocked ").append(formatSeconds(measured.measuredS()))
                        .append(" and ended with \"").append(measured.outcome()).append("\".");
            }
            out.add(s.toString());
        }
        if (k != null && k.tcpAbortOnOverflow() != null) {
            out.add("`tcp_abort_on_overflow` is " + k.tcpAbortOnOverflow() + " here: "
                    + (k.tcpAbortOnOverflow() == 0
                    ? "when a handshake's final ACK finds the accept queue full the server drops it and the client "
                    + "retries; with 1 it would answer with RST (tcp(7))."
                    : "when a handshake's final ACK finds the accept queue full the server answers with RST, so the "
                    + "client sees ECONNRESET instead of retrying (tcp(7)).")
                    + " It acts only on that final ACK: a SYN that arrives while the queue is full is dropped "
                    + "either way, before any SYN-ACK.");
        }
        if (k != null && k.tcpSyncookies() != null && k.tcpMaxSynBacklog() != null) {
            out.add("SYN queue: half-open connections wait in it; `tcp_max_syn_backlog` = " + k.tcpMaxSynBacklog()
                    + " bounds it when syncookies are off, and `tcp_syncookies` = " + k.tcpSyncookies()
                    + (k.tcpSyncookies() == 1 ? " answers SYNs with a cookie instead of queueing them when it overflows"
                    : k.tcpSyncookies() == 2 ? " always answers with cookies" : " means an overflowing SYN is dropped")
                    + ". The accept queue, the one the backlog caps, is checked first: a SYN that finds it full is "
                    + "dropped in every case.");
        }
        if (!report.javaBacklogs().isEmpty()) {
            StringBuilder s = new StringBuilder("Java: ");
            List<String> parts = new ArrayList<>();
            for (JavaBacklog j : report.javaBacklogs()) {
                parts.add("`" + j.call().replaceAll("\\s+\\[.*]$", "") + "` → listen(" + j.passedToListen() + ")"
                        + (j.kernelBacklog() != null ? " → kernel backlog " + j.kernelBacklog() : ""));
            }
            s.append(String.join("; ", parts)).append(". Java turns a backlog below 1 into 50, and the kernel "
                    + "silently caps anything above `net.core.somaxconn`.");
            out.add(s.toString());
        }
        return out;
    }

    /** How many retransmissions, from the first, follow the SYN before them by 1 s (as the schedule lists them). */
    static int oneSecondApart(List<Double> synSentAtS) {
        int n = 0;
        for (int i = 1; i < synSentAtS.size() && Math.abs(synSentAtS.get(i) - synSentAtS.get(i - 1) - 1) < 0.05; i++) {
            n++;
        }
        return n;
    }
}

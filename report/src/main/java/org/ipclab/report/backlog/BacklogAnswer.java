package org.ipclab.report.backlog;

import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.Numbers;

/**
 * Answer 2 in prose, for the lab record: what happens when more clients connect than the backlog, with the
 * kernel's reasoning and what it means for the lab's iterative server. It opens with the findings' short answer
 * (what this run measured) and adds what the run's sysctls imply; the full evidence stays in
 * {@link BacklogSection}, the appendix.
 */
final class BacklogAnswer {

    /** How many of the modelled SYN times to list before "…": enough to show the gaps widen. */
    static final int SYN_TIMES_SHOWN = 6;

    private BacklogAnswer() {
    }

    static String prose(BacklogReport report) {
        BacklogFindings findings = new BacklogFindings(report);
        List<String> paragraphs = new ArrayList<>();
        paragraphs.add(findings.shortAnswer() + variants(report));
        paragraphs.add(kernel(report, findings));
        paragraphs.add(iterativeServer(findings));
        return String.join("\n\n", paragraphs) + "\n";
    }

    /**
     * What the clients of the contrasting namespace runs met that the host trials' did not (the short answer speaks
     * of the host trials only), or "".
     */
    private static String variants(BacklogReport report) {
        List<String> parts = new ArrayList<>();
        for (NamespaceVariant v : report.variants()) {
            int gaveUp = 0;
            int reset = 0;
            int refused = 0;
            for (BacklogTrial t : v.trials()) {
                gaveUp += t.summary().gaveUp();
                reset += t.summary().reset();
                refused += t.summary().refused();
            }
            List<String> fates = new ArrayList<>();
            if (gaveUp > 0) {
                fates.add(gaveUp + " gave up");
            }
            if (reset > 0) {
                fates.add(reset + " reset");
            }
            if (refused > 0) {
                fates.add(refused + " refused");
            }
            if (!fates.isEmpty()) {
                parts.add("`" + v.name() + "` " + String.join(", ", fates));
            }
        }
        return parts.isEmpty() ? "" : " (Host trials; in the namespace contrasts: " + String.join("; ", parts) + ".)";
    }

    /** listen(2)'s two queues, the caps, syncookies and the SYN retry schedule, from the run's sysctls. */
    private static String kernel(BacklogReport report, BacklogFindings findings) {
        KernelSettings k = report.kernelSettings();
        List<String> s = new ArrayList<>();
        s.add("The kernel's reasoning (listen(2), tcp(7)): the backlog counts finished handshakes waiting for "
                + "accept()" + (k != null && k.somaxconn() != null
                ? ", capped at `net.core.somaxconn` (" + k.somaxconn() + " here)" : "")
                + ", and a SYN that finds that queue full is dropped before any SYN-ACK.");
        if (k != null && k.tcpSyncookies() != null) {
            s.add("Half-open handshakes wait in a second queue, bounded by `tcp_max_syn_backlog`"
                    + (k.tcpMaxSynBacklog() != null ? " (" + k.tcpMaxSynBacklog() + ")" : "")
                    + "; this run had `tcp_syncookies` = " + k.tcpSyncookies()
                    + (k.tcpSyncookies() == 0 ? ", so an overflowing SYN is dropped."
                    : k.tcpSyncookies() == 1 ? ", so cookies answer only when that queue overflows."
                    : ", so every SYN is answered with a cookie."));
        } else {
            s.add("This run did not read `tcp_syncookies`.");
        }
        SynSchedule model = report.synSchedule();
        if (model != null && model.synSentAtS().size() > 1) {
            List<Double> times = model.synSentAtS();
            List<String> shown = new ArrayList<>();
            for (int i = 1; i < Math.min(times.size(), SYN_TIMES_SHOWN + 1); i++) {
                shown.add(Numbers.format(times.get(i)) + " s");
            }
            s.add("A dropped client's connect() resends the SYN at " + String.join(", ", shown)
                    + (times.size() > SYN_TIMES_SHOWN + 1 ? " …" : "") + " (`tcp_syn_retries` = " + model.synRetries()
                    + (model.linearTimeouts() > 0 ? ", `tcp_syn_linear_timeouts` = " + model.linearTimeouts()
                    + ", then the gap doubles" : ", the gap doubling") + ") and so succeeds late, or fails with "
                    + "ETIMEDOUT after about " + Numbers.format(model.giveUpAfterS()) + " s.");
        }
        BlockingConnect measured = findings.blockingConnectMeasurement();
        if (measured != null && measured.measuredS() != null) {
            s.add("Measured with `tcp_syn_retries` = " + measured.synRetries() + ": connect() blocked "
                    + Numbers.format(measured.measuredS()) + " s, then \"" + measured.outcome() + "\".");
        }
        return String.join(" ", s);
    }

    private static String iterativeServer(BacklogFindings findings) {
        String rule = findings.queueRule();
        return "The lab's server is iterative: it serves one client until that client closes. The others wait, "
                + (rule != null ? "up to " + rule : "some") + " in the accept queue and the rest retransmitting "
                + "SYNs: to them a busy server is a slow connect(), not a refusal. A larger backlog lets more wait "
                + "without retrying; only a concurrent server shortens the wait.";
    }
}

package org.ipclab.report.backlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The explanation of a backlog run, derived from what it measured. Every sentence about this machine comes
 * from a number in the {@link BacklogReport}; what other systems do is stated as their documentation, in a
 * separate list. Where a common expectation and the measurement disagree, the measurement wins and
 * {@link #expectations()} says so.
 *
 * <p>Text uses backticks for names (Markdown and terminal alike) and no other markup.
 *
 * <p>This class answers the question itself (the queue rule, the short answer, the conclusion); the rest is
 * written by {@link BacklogObservations}, {@link BacklogDerived}, {@link BacklogContrasts} (with
 * {@link VariantTotals}) and {@link BacklogExpectations}, with numbers formatted by {@link BacklogFormat}.
 */
public final class BacklogFindings {

    /** One common expectation about the question, and whether this run bore it out. */
    public record Check(String expectation, Boolean heldHere, String measured) {
    }

    private final BacklogReport report;

    public BacklogFindings(BacklogReport report) {
        this.report = Objects.requireNonNull(report);
    }

    /**
     * The queue rule this run measured: the accept-queue length minus the kernel's backlog, the same in every
     * trial in which some client was left out; null when no trial filled its queue or the trials disagree.
     */
    public Integer queueRuleOffset() {
        Integer offset = null;
        for (BacklogTrial t : saturated()) {
            int o = t.waiting().acceptQueue() - t.effectiveBacklog();
            if (offset != null && offset != o) {
                return null;
            }
            offset = o;
        }
        return offset;
    }

    /** "B+1", "B", "B+2"... or null. */
    public String queueRule() {
        Integer offset = queueRuleOffset();
        if (offset == null) {
            return null;
        }
        return offset == 0 ? "B" : offset > 0 ? "B+" + offset : "B" + offset;
    }

    /** Trials in which more clients came than the accept queue held while the server was not accepting. */
    public List<BacklogTrial> saturated() {
        List<BacklogTrial> list = new ArrayList<>();
        for (BacklogTrial t : report.trials()) {
            if (t.waiting() != null && t.waiting().acceptQueue() != null
                    && t.summary().connecting() + t.summary().failedEarly() > 0) {
                list.add(t);
            }
        }
        return list;
    }

    /** The short answer, from the host trials. */
    public String shortAnswer() {
        List<BacklogTrial> trials = report.trials();
        if (trials.isEmpty()) {
            return "No trial ran, so this run has no answer.";
        }
        StringBuilder text = new StringBuilder();
        String rule = queueRule();
        KernelSettings k = report.kernelSettings();
        text.append("On this machine (Linux ").append(report.kernel());
        if (k != null && k.somaxconn() != null) {
            text.append(", `net.core.somaxconn` = ").append(k.somaxconn());
        }
        text.append("), ");
        if (rule != null) {
            text.append("a server that listens with backlog B and does not accept gets ").append(rule)
                    .append(" connections completed and queued by its kernel (measured for B = ")
                    .append(joinInts(backlogsOf(saturated()))).append("). ");
        } else if (saturated().isEmpty()) {
            text.append("no trial had more clients than its accept queue held, so this run does not show what "
                    + "happens to the extra ones (use more --clients). ");
        } else {
            text.append("the number of connections the kernel queued did not follow one rule across the trials "
                    + "(see the table). ");
        }
        int extra = 0;
        int refused = 0;
        int reset = 0;
        int gaveUp = 0;
        int kernelGaveUp = 0;
        int servedLate = 0;
        for (BacklogTrial t : trials) {
            extra += t.summary().connecting();
            refused += t.summary().refused();
            reset += t.summary().reset();
            for (ClientResult c : t.clientResults()) {
                if (c.connect() == ConnectOutcome.TIMED_OUT) {
                    gaveUp++;
                } else if (c.connect() == ConnectOutcome.KERNEL_TIMED_OUT) {
                    kernelGaveUp++;
                }
                if ("SYN_SENT".equals(c.clientState()) && c.fate() == Fate.SERVED) {
                    servedLate++;
                }
            }
        }
        if (extra > 0) {
            text.append("The other clients were ").append(refused == 0 ? "not refused" : refused + " times refused")
                    .append(": their connect() stayed in progress (`SYN-SENT`), because the server's kernel dropped "
                            + "their SYNs (`ListenOverflows` counted them) and they retransmitted");
            List<Double> retx = retransmitDelaysS(trials);
            if (!retx.isEmpty()) {
                text.append(" after ").append(joinSeconds(retx));
            }
            text.append(". ");
        }
        if (servedLate > 0) {
            text.append("Once the server began accepting, ").append(servedLate)
                    .append(" of them got in at a later retransmission and were served. ");
        }
        if (gaveUp + kernelGaveUp > 0) {
            text.append(gaveUp + kernelGaveUp).append(" client(s) gave up first; what they saw was a timeout")
                    .append(kernelGaveUp > 0 ? " (" + kernelGaveUp + " from the kernel: ETIMEDOUT)" : " (their own)")
                    .append(", not ECONNREFUSED. ");
        } else if (extra > 0 && refused == 0) {
            text.append("No client of these host trials gave up within its ").append(formatSeconds(trials.get(0).connectTimeoutMs() / 1000.0))
                    .append(" connect timeout; a client that gives up earlier sees a timeout, not ECONNREFUSED. ");
        }
        if (reset > 0) {
            text.append(reset).append(" client(s) were reset (ECONNRESET). ");
        }
        return text.toString().trim();
    }

    /** One or two sentences for the report's conclusion, from the host trials. */
    public String conclusion() {
        String rule = queueRule();
        if (rule == null || report.trials().isEmpty()) {
            return "";
        }
        int refused = 0;
        int reset = 0;
        int waiting = 0;
        for (BacklogTrial t : report.trials()) {
            refused += t.summary().refused();
            reset += t.summary().reset();
            waiting += t.summary().connecting();
        }
        String rest = refused + reset == 0 && waiting > 0
                ? "; the clients beyond that were not refused but kept retransmitting their SYN until the server "
                + "accepted (or their own timeout ended the wait)."
                : "; " + refused + " extra client(s) were refused and " + reset + " reset.";
        return "With a listen() backlog of B this kernel queued " + rule + " finished connections" + rest;
    }

    /** What this run observed, one paragraph per point, all derived from its numbers. */
    public List<String> observations() {
        return new BacklogObservations(report, this).observations();
    }

    /** What the sysctls and Java imply, derived from the values read (a model where it says so). */
    public List<String> derived() {
        return new BacklogDerived(report, this).derived();
    }

    /** The namespace contrasts, one paragraph per variant, derived from its trials against the control's. */
    public List<String> contrasts() {
        return new BacklogContrasts(report, this).contrasts();
    }

    /** Common expectations against this run. */
    public List<Check> expectations() {
        return new BacklogExpectations(report, this).expectations();
    }

    /** What other systems document; stated as documentation, not measured here. */
    public static List<String> otherSystems() {
        return List.of(
                "POSIX and the Linux listen(2) page: when the queue is full \"the client may receive an error with "
                        + "an indication of ECONNREFUSED or, if the underlying protocol supports retransmission, the "
                        + "request may be ignored so that a later reattempt at connection succeeds\". Since Linux 2.2 "
                        + "the backlog counts completed connections only; `tcp_max_syn_backlog` bounds the "
                        + "incomplete ones, and a backlog above `net.core.somaxconn` is silently capped.",
                "FreeBSD's listen(2): \"the real maximum queue length will be 1.5 times more than the value "
                        + "specified in the backlog argument\"; with the queue full \"the client may receive an error "
                        + "with an indication of ECONNREFUSED, or, in the case of TCP, the connection will be silently "
                        + "dropped\". `kern.ipc.soacceptqueue` caps the backlog. macOS inherits the same 4.4BSD "
                        + "queue code (the 3/2 \"fudge factor\"), so expect about 1.5 × backlog there too.",
                "Windows (Winsock `listen`): with the queue full \"the client will receive an error with an "
                        + "indication of WSAECONNREFUSED\": the client is told no at once instead of being left to "
                        + "retry; `SOMAXCONN` means \"a maximum reasonable value\", and `SOMAXCONN_HINT(N)` is clamped "
                        + "to 200–65535.");
    }

    /** The blocking-connect measurement from a namespace variant, or null. */
    public BlockingConnect blockingConnectMeasurement() {
        for (NamespaceVariant v : report.variants()) {
            if (v.blockingConnect() != null) {
                return v.blockingConnect();
            }
        }
        return null;
    }

    /** The host trials and every namespace variant's. */
    List<BacklogTrial> allTrials() {
        List<BacklogTrial> all = new ArrayList<>(report.trials());
        for (NamespaceVariant v : report.variants()) {
            all.addAll(v.trials());
        }
        return all;
    }

    /** See {@link BacklogFormat#retransmitDelaysS(List)}. */
    static List<Double> retransmitDelaysS(List<BacklogTrial> trials) {
        return BacklogFormat.retransmitDelaysS(trials);
    }

    static List<Double> roundTenths(List<Double> values) {
        return BacklogFormat.roundTenths(values);
    }

    static List<Integer> backlogsOf(List<BacklogTrial> trials) {
        return BacklogFormat.backlogsOf(trials);
    }

    static String joinInts(List<Integer> values) {
        return BacklogFormat.joinInts(values);
    }

    static String joinSeconds(List<Double> values) {
        return BacklogFormat.joinSeconds(values);
    }

    static String formatSeconds(double s) {
        return BacklogFormat.formatSeconds(s);
    }
}

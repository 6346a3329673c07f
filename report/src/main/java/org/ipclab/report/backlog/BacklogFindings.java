package org.ipclab.report.backlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * The explanation of a backlog run, derived from what it measured. Every sentence about this machine comes
 * from a number in the {@link BacklogReport}; what other systems do is stated as their documentation, in a
 * separate list. Where a common expectation and the measurement disagree, the measurement wins and
 * {@link #expectations()} says so.
 *
 * <p>Text uses backticks for names (Markdown and terminal alike) and no other markup.
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
            text.append("None gave up within its ").append(formatSeconds(trials.get(0).connectTimeoutMs() / 1000.0))
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
        List<String> out = new ArrayList<>();
        List<BacklogTrial> trials = report.trials();
        if (trials.isEmpty()) {
            return out;
        }
        String rule = queueRule();
        if (rule != null) {
            StringBuilder s = new StringBuilder("Accept queue: in every trial where clients were left out, the "
                    + "LISTEN row of `/proc/net/tcp` showed " + rule + " connections waiting (rx_queue)");
            boolean ssAgrees = true;
            boolean haveSs = false;
            for (BacklogTrial t : saturated()) {
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
            for (BacklogTrial t : saturated()) {
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
            out.add("Connected, but not on the server: " + halfOpen + " client(s) saw connect() succeed while the "
                    + "server's kernel held no finished connection for them ("
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

    /** What the sysctls and Java imply, derived from the values read (a model where it says so). */
    public List<String> derived() {
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
                    ? "; the first " + model.linearTimeouts() + " retransmissions come at a fixed 1 s, so more SYNs are "
                    + "sent than tcp_syn_retries says" : "").append(").");
            BlockingConnect measured = blockingConnectMeasurement();
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

    /** The namespace contrasts, one paragraph per variant, derived from its trials against the control's. */
    public List<String> contrasts() {
        List<String> out = new ArrayList<>();
        if (report.variants().isEmpty()) {
            if (report.variantsSkipped() != null) {
                out.add("The contrasting sysctls were not measured in this run: " + report.variantsSkipped() + ".");
            }
            return out;
        }
        NamespaceVariant control = null;
        for (NamespaceVariant v : report.variants()) {
            if (v.sysctls().isEmpty() && v.blockingConnect() == null && v.error() == null) {
                control = v;
            }
        }
        Totals base = control == null ? null : Totals.of(control.trials());
        if (base != null) {
            out.add("Control (a fresh namespace with the kernel's defaults, a slow server that accepts one connection "
                    + "every " + acceptEvery(control) + " ms, clients arriving all at once, backlog "
                    + joinInts(backlogsOf(control.trials())) + "): " + base.describe() + ".");
        }
        for (NamespaceVariant v : report.variants()) {
            if (v == control || v.blockingConnect() != null) {
                continue;
            }
            if (v.error() != null) {
                out.add("`" + v.name() + "`: the variant failed: " + v.error() + ".");
                continue;
            }
            Totals t = Totals.of(v.trials());
            StringBuilder s = new StringBuilder("`" + v.name() + "`: " + t.describe() + ". ");
            if (base != null) {
                s.append(t.differenceFrom(base));
            }
            out.add(s.toString().trim());
        }
        return out;
    }

    /** Common expectations against this run. */
    public List<Check> expectations() {
        List<Check> checks = new ArrayList<>();
        String rule = queueRule();
        checks.add(new Check("The accept queue holds backlog + 1 completed connections (Linux)",
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
        checks.add(new Check("Extra clients are refused (ECONNREFUSED)", extra == 0 && refused == 0 ? null : refused > 0,
                refused + " refused; " + extra + " left waiting in SYN-SENT while the server was not accepting; "
                        + timedOut + " timed out"));
        List<Double> retx = retransmitDelaysS(report.trials());
        BlockingConnect blocking = blockingConnectMeasurement();
        String where = "by the host trials' clients";
        if (blocking != null && blocking.synSentAtS().size() > Math.max(retx.size(), 2)) {
            retx = roundTenths(blocking.synSentAtS().subList(1, blocking.synSentAtS().size()));
            where = "in the blocking-connect namespace";
        }
        if (retx.size() >= 2) {
            boolean exponential = Math.abs(retx.get(0) - 1) < 0.3 && Math.abs(retx.get(1) - 3) < 0.3;
            Integer linear = report.kernelSettings() == null ? null : report.kernelSettings().tcpSynLinearTimeouts();
            checks.add(new Check("Waiting clients retransmit their SYN with exponential backoff: 1 s, 3 s, 7 s …",
                    exponential, "SYN retransmissions " + where + " at " + joinSeconds(retx)
                    + (!exponential && linear != null ? " (this kernel's `tcp_syn_linear_timeouts` = " + linear
                    + ": the first retransmissions come 1 s apart; the model says the interval doubles after them)"
                    : "")));
        } else if (retx.size() == 1) {
            checks.add(new Check("Waiting clients retransmit their SYN after 1 s first", Math.abs(retx.get(0) - 1) < 0.3,
                    "measured " + joinSeconds(retx) + " " + where));
        }
        int halfOpen = 0;
        for (BacklogTrial t : allTrials()) {
            for (ClientResult c : t.clientResults()) {
                if (c.halfOpenAtMs() != null) {
                    halfOpen++;
                }
            }
        }
        checks.add(new Check("A client's connect() can succeed although the server's accept queue is full",
                halfOpen > 0 ? Boolean.TRUE : null, halfOpen > 0 ? "seen for " + halfOpen + " client(s)"
                : "not seen in this run"));
        for (NamespaceVariant v : report.variants()) {
            if (v.sysctls().containsKey("net.ipv4.tcp_abort_on_overflow") && v.error() == null) {
                int resets = Totals.of(v.trials()).reset;
                checks.add(new Check("With tcp_abort_on_overflow=1 some clients are reset instead of retrying",
                        resets > 0, resets + " reset in the namespace variant"));
            }
        }
        return checks;
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

    private List<BacklogTrial> allTrials() {
        List<BacklogTrial> all = new ArrayList<>(report.trials());
        for (NamespaceVariant v : report.variants()) {
            all.addAll(v.trials());
        }
        return all;
    }

    private static long acceptEvery(NamespaceVariant v) {
        return v.trials().isEmpty() ? 0 : v.trials().get(0).acceptEveryMs();
    }

    /**
     * The distinct delays, from each client's start, at which waiting clients were seen to retransmit a SYN,
     * rounded to 0.5 s (timer slack and the 100 ms sampling blur the exact instants).
     */
    static List<Double> retransmitDelaysS(List<BacklogTrial> trials) {
        TreeSet<Double> delays = new TreeSet<>();
        for (BacklogTrial t : trials) {
            for (ClientResult c : t.clientResults()) {
                for (double at : c.synRetransmitsAtMs()) {
                    delays.add(Math.round((at - c.startMs()) / 500.0) / 2.0);
                }
            }
        }
        return new ArrayList<>(delays);
    }

    static List<Double> roundTenths(List<Double> values) {
        List<Double> out = new ArrayList<>();
        for (double v : values) {
            out.add(round1(v));
        }
        return out;
    }

    static List<Integer> backlogsOf(List<BacklogTrial> trials) {
        TreeSet<Integer> set = new TreeSet<>();
        for (BacklogTrial t : trials) {
            set.add(t.backlog());
        }
        return new ArrayList<>(set);
    }

    static String joinInts(List<Integer> values) {
        List<String> parts = new ArrayList<>();
        for (int v : values) {
            parts.add(String.valueOf(v));
        }
        return String.join(", ", parts);
    }

    static String joinSeconds(List<Double> values) {
        List<String> parts = new ArrayList<>();
        for (double v : values) {
            parts.add(formatSeconds(v));
        }
        return String.join(", ", parts);
    }

    static String formatSeconds(double s) {
        if (Math.abs(s - Math.rint(s)) < 1e-9) {
            return String.format(Locale.ROOT, "%.0f s", s);
        }
        return String.format(Locale.ROOT, s < 10 ? "%.2f s" : "%.1f s", s).replace(".50 s", ".5 s")
                .replaceAll("(\\.\\d)0 s", "$1 s");
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** A variant's clients counted. */
    private static final class Totals {
        int clients;
        int served;
        int gaveUp;
        int reset;
        int refused;
        int halfOpenNone;
        int halfOpenSynRecv;
        long cookies;
        long reqQFullDrop;
        long embryonicRsts;

        static Totals of(List<BacklogTrial> trials) {
            Totals t = new Totals();
            for (BacklogTrial trial : trials) {
                t.clients += trial.summary().clients();
                t.served += trial.summary().served();
                t.gaveUp += trial.summary().gaveUp();
                t.reset += trial.summary().reset();
                t.refused += trial.summary().refused();
                for (ClientResult c : trial.clientResults()) {
                    if (c.halfOpenAtMs() != null) {
                        if ("SYN_RECV".equals(c.halfOpenServerState())) {
                            t.halfOpenSynRecv++;
                        } else {
                            t.halfOpenNone++;
                        }
                    }
                }
                Map<String, Long> d = trial.counterDeltas();
                t.cookies += d.getOrDefault("TcpExt.SyncookiesSent", 0L);
                t.reqQFullDrop += d.getOrDefault("TcpExt.TCPReqQFullDrop", 0L);
                t.embryonicRsts += d.getOrDefault("TcpExt.EmbryonicRsts", 0L);
            }
            return t;
        }

        String describe() {
            return clients + " clients: " + served + " served, " + gaveUp + " gave up, " + reset + " reset, "
                    + refused + " refused; " + (halfOpenNone + halfOpenSynRecv) + " connected while the server held "
                    + "no finished connection for them (" + halfOpenSynRecv + " of them half-open in SYN_RECV); "
                    + "syncookies sent " + cookies + ", SYNs dropped for a full SYN queue " + reqQFullDrop
                    + ", RSTs for handshakes (EmbryonicRsts) " + embryonicRsts;
        }

        String differenceFrom(Totals base) {
            List<String> diffs = new ArrayList<>();
            if (reset != base.reset) {
                diffs.add(reset + " reset instead of " + base.reset);
            }
            if (gaveUp != base.gaveUp) {
                diffs.add(gaveUp + " gave up instead of " + base.gaveUp);
            }
            if (served != base.served) {
                diffs.add(served + " served instead of " + base.served);
            }
            if (halfOpenSynRecv + halfOpenNone != base.halfOpenSynRecv + base.halfOpenNone) {
                diffs.add((halfOpenSynRecv + halfOpenNone) + " connected without a server-side connection instead of "
                        + (base.halfOpenSynRecv + base.halfOpenNone));
            }
            if (diffs.isEmpty()) {
                return "Measured against the control: no difference in what the clients experienced.";
            }
            return "Measured against the control: " + String.join(", ", diffs) + ".";
        }
    }
}

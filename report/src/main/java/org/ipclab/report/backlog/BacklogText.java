package org.ipclab.report.backlog;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The backlog run for a terminal: a table per trial, then the explanation (what {@code ./ipc-lab backlog} prints). */
public final class BacklogText {

    static final int WIDTH = 100;

    private BacklogText() {
    }

    public static String render(BacklogReport report) {
        StringBuilder out = new StringBuilder();
        KernelSettings k = report.kernelSettings();
        out.append("listen() backlog experiment on Linux ").append(report.kernel());
        if (k != null) {
            out.append(String.format(Locale.ROOT, " (somaxconn %s, tcp_abort_on_overflow %s, tcp_syncookies %s, "
                            + "tcp_syn_retries %s)", BacklogSection.orDash(k.somaxconn()),
                    BacklogSection.orDash(k.tcpAbortOnOverflow()), BacklogSection.orDash(k.tcpSyncookies()),
                    BacklogSection.orDash(k.tcpSynRetries())));
        }
        out.append('\n');
        BacklogSettings s = report.settings();
        wrap(out, String.format(Locale.ROOT, "A server on 127.0.0.1 listens with backlog B and %s; %s clients "
                        + "connect, each with a %s connect timeout; every connected client sends a %s and waits for "
                        + "its echo.",
                s.acceptAfterMs() == null ? "never accepts"
                        : "starts accepting after " + BacklogFindings.formatSeconds(s.acceptAfterMs() / 1000.0),
                s.clients() != null ? String.valueOf(s.clients()) : "B + " + s.extraClients(),
                BacklogFindings.formatSeconds(s.connectTimeoutMs() / 1000.0), "16-byte probe"), "", "");
        out.append('\n');

        for (BacklogTrial t : report.trials()) {
            trial(out, t, "");
        }
        for (NamespaceVariant v : report.variants()) {
            for (BacklogTrial t : v.trials()) {
                trial(out, t, "namespace " + v.name() + ", one accept() every " + t.acceptEveryMs() + " ms: ");
            }
        }

        BacklogFindings f = new BacklogFindings(report);
        out.append("What happened\n");
        wrap(out, f.shortAnswer(), "  ", "  ");
        out.append('\n');
        for (String o : f.observations()) {
            wrap(out, o, "  - ", "    ");
        }
        out.append("\nWhat the settings imply\n");
        for (String d : f.derived()) {
            wrap(out, d, "  - ", "    ");
        }
        List<String> contrasts = f.contrasts();
        if (!contrasts.isEmpty()) {
            out.append("\nContrasting sysctls, each in a private network namespace\n");
            for (String c : contrasts) {
                wrap(out, c, "  - ", "    ");
            }
        }
        out.append("\nExpectations against this run\n");
        for (BacklogFindings.Check c : f.expectations()) {
            String mark = c.heldHere() == null ? "[ -- ]" : c.heldHere() ? "[ yes]" : "[ NO ]";
            wrap(out, mark + " " + c.expectation() + ": " + c.measured(), "  ", "         ");
        }
        out.append("\nOther systems (as documented, not measured here)\n");
        for (String o : BacklogFindings.otherSystems()) {
            wrap(out, o, "  - ", "    ");
        }
        for (String note : report.notes()) {
            wrap(out, "Note: " + note, "", "  ");
        }
        out.append(String.format(Locale.ROOT, "%nThe whole run took %.1f s", report.durationS()));
        if (report.loadBefore() != null) {
            out.append(String.format(Locale.ROOT, " (load average %.2f before, %.2f after)", report.loadBefore(),
                    report.loadAfter() == null ? Double.NaN : report.loadAfter()));
        }
        out.append(".\n");
        return out.toString();
    }

    private static void trial(StringBuilder out, BacklogTrial t, String prefix) {
        KernelView w = t.waiting();
        out.append(prefix).append("backlog ").append(t.backlog());
        if (t.listenBacklog() != t.backlog() || t.kernelBacklog() != null) {
            out.append(" (listen(2) got ").append(t.listenBacklog());
            if (t.kernelBacklog() != null) {
                out.append(", the kernel applies ").append(t.kernelBacklog());
            }
            out.append(')');
        }
        out.append(", ").append(t.clients()).append(" clients ").append(t.arrival().label());
        if (t.acceptStartedMs() != null) {
            out.append(", accepting from ").append(BacklogSection.ms(t.acceptStartedMs()));
        }
        out.append('\n');
        out.append(String.format(Locale.ROOT, "  waiting, at %s: accept queue %s%s; clients %s; server side %s; "
                        + "ListenOverflows +%s%n",
                BacklogSection.ms(w.atMs()), BacklogSection.orDash(w.acceptQueue()),
                w.ssRecvQ() != null ? " (ss Recv-Q " + w.ssRecvQ() + ", Send-Q " + w.ssSendQ() + ")" : "",
                counts(w.clientSockets()), counts(w.serverSockets()),
                BacklogSection.orDash(w.counterDeltas().get("TcpExt.ListenOverflows"))));
        String format = "  %7s  %-13s  %-30s  %-26s  %-16s  %-13s  %-13s  %s%n";
        out.append(String.format(Locale.ROOT, format, "clients", "started at", "connect()",
                "waiting: client / server", "SYN re-sent at", "accepted at", "echo at", "fate"));
        List<ClientResult> group = new ArrayList<>();
        for (ClientResult c : t.clientResults()) {
            if (!group.isEmpty() && !signature(group.get(0)).equals(signature(c))) {
                row(out, format, group);
                group.clear();
            }
            group.add(c);
        }
        if (!group.isEmpty()) {
            row(out, format, group);
        }
        out.append('\n');
    }

    /** Clients that fared alike share a row; their times are shown as ranges. */
    private static String signature(ClientResult c) {
        return c.connect() + "|" + c.clientState() + "|" + c.serverState() + "|" + c.serverQueuedBytes() + "|"
                + c.synRetransmitsAtMs().size() + "|" + c.halfOpenServerState() + "|" + c.fate() + "|" + c.error()
                + "|" + (c.acceptedAtMs() == null) + "|" + (c.echoAtMs() == null);
    }

    private static void row(StringBuilder out, String format, List<ClientResult> group) {
        ClientResult first = group.get(0);
        ClientResult last = group.get(group.size() - 1);
        String clients = group.size() == 1 ? String.valueOf(first.client()) : first.client() + "-" + last.client();
        String sides = shortState(first.clientState()) + " / " + shortState(first.serverState());
        if (first.serverQueuedBytes() != null && first.serverQueuedBytes() > 0) {
            sides += " +" + first.serverQueuedBytes() + "B";
        }
        String connect = BacklogSection.connectText(first);
        if (first.connectMs() != null) {
            connect = connect.substring(0, connect.indexOf(" after ")) + " after "
                    + range(group, ClientResult::connectMs, BacklogSection::duration);
        }
        List<String> retx = new ArrayList<>();
        for (int i = 0; i < first.synRetransmitsAtMs().size(); i++) {
            int index = i;
            retx.add(range(group, c -> c.synRetransmitsAtMs().get(index), BacklogSection::ms));
        }
        String fate = first.fate().name().toLowerCase(Locale.ROOT).replace('_', ' ');
        if (first.halfOpenAtMs() != null) {
            fate += " (connect() had succeeded, but the server held "
                    + ("SYN_RECV".equals(first.halfOpenServerState()) ? "only a SYN_RECV request" : "nothing")
                    + " for it at " + range(group, ClientResult::halfOpenAtMs, BacklogSection::ms) + ")";
        }
        if (first.error() != null && first.fate() != Fate.SERVED) {
            fate += ": " + first.error();
        }
        out.append(String.format(Locale.ROOT, format, clients, range(group, ClientResult::startMs, BacklogSection::ms),
                connect, sides, String.join(", ", retx),
                first.acceptedAtMs() == null ? "-" : range(group, ClientResult::acceptedAtMs, BacklogSection::ms),
                first.echoAtMs() == null ? "-" : range(group, ClientResult::echoAtMs, BacklogSection::ms), fate));
    }

    /** "1.52 s" or "1.52-1.57 s" (min to max over the group). */
    private static String range(List<ClientResult> group, java.util.function.Function<ClientResult, Double> value,
                                java.util.function.DoubleFunction<String> format) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (ClientResult c : group) {
            Double v = value.apply(c);
            if (v != null) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        if (min == Double.MAX_VALUE) {
            return "-";
        }
        String low = format.apply(min);
        String high = format.apply(max);
        if (low.equals(high)) {
            return low;
        }
        String unit = high.substring(high.lastIndexOf(' '));
        return low.endsWith(unit) ? low.substring(0, low.length() - unit.length()) + "-" + high : low + "-" + high;
    }

    private static String shortState(String state) {
        return switch (state) {
            case "ESTABLISHED" -> "ESTAB";
            case "NOT_STARTED" -> "not started";
            case "NONE" -> "none";
            default -> state;
        };
    }

    private static String counts(Map<String, Integer> states) {
        if (states.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        states.forEach((state, n) -> parts.add(n + " " + shortState(state)));
        return String.join(", ", parts);
    }

    /** Word-wraps a paragraph to {@link #WIDTH} columns. */
    static void wrap(StringBuilder out, String text, String firstIndent, String indent) {
        StringBuilder line = new StringBuilder(firstIndent);
        for (String word : text.split(" ")) {
            if (line.length() + word.length() + 1 > WIDTH && line.length() > indent.length()) {
                out.append(line.toString().stripTrailing()).append('\n');
                line.setLength(0);
                line.append(indent);
            }
            line.append(word).append(' ');
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }
}

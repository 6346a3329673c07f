package org.ipclab.report.backlog;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's answer to the lab's second question, as Markdown, with its chart written beside it. Usage
 * (the main report renderer):
 *
 * <pre>{@code
 * String section = BacklogSection.markdown(report, reportDir);   // writes reportDir/backlog.svg
 * }</pre>
 *
 * <p>In {@code ./ipc-lab compare} the report's "Answer 2" comes from {@link BacklogQuestion2Renderer}, which
 * uses {@link #body}. Every statement about this machine comes from the {@link BacklogReport}: see
 * {@link BacklogFindings}.
 */
public final class BacklogSection {

    /** The chart's file name, written into the chart directory. */
    public static final String CHART_FILE = "backlog.svg";

    private BacklogSection() {
    }

    /** The section; the chart is written to {@code chartDir}/{@value #CHART_FILE}, the Markdown's own directory. */
    public static String markdown(BacklogReport report, Path chartDir) throws IOException {
        return markdown(report, chartDir, chartDir);
    }

    /**
     * The section; the chart is written to {@code chartDir}/{@value #CHART_FILE} and linked relative to
     * {@code markdownDir}, where the Markdown file will live.
     */
    public static String markdown(BacklogReport report, Path chartDir, Path markdownDir) throws IOException {
        Path chart = chartDir.resolve(CHART_FILE);
        BacklogChart.write(report, chart);
        String link = markdownDir.toAbsolutePath().normalize().relativize(chart.toAbsolutePath().normalize())
                .toString().replace('\\', '/');
        return "## Question 2: what happens when more clients connect than the listen() backlog?\n\n"
                + body(report, link, 3);
    }

    /**
     * The section's body without its title: what the report's "Answer 2" holds. Sub-headings are at
     * {@code level} (3 for "###"); {@code chartLink} is where the chart already is, relative to the Markdown.
     */
    public static String body(BacklogReport report, String chartLink, int level) {
        String h = "#".repeat(level) + " ";
        BacklogFindings f = new BacklogFindings(report);
        StringBuilder md = new StringBuilder();
        md.append("_Measured by `./ipc-lab backlog` on this machine: a server on 127.0.0.1 listens with backlog B "
                + "and does not accept; N clients connect; the kernel's tables are read while they wait; then the "
                + "server accepts and echoes._\n\n");
        md.append("**Short answer.** ").append(f.shortAnswer()).append("\n\n");
        md.append("![clients connected against backlog](").append(chartLink).append(")\n\n");

        md.append(h).append("The sweep\n\n");
        md.append("| B | listen() got | kernel backlog (ss Send-Q) | arrival | clients | connected before accept | "
                + "in accept queue (rx_queue) | still SYN-SENT | ListenOverflows while waiting | served | gave up | "
                + "refused | reset |\n");
        md.append("|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BacklogTrial t : report.trials()) {
            TrialSummary s = t.summary();
            md.append(String.format(Locale.ROOT, "| %d | %d | %s | %s | %d | %d | %s | %d | %s | %d | %d | %d | %d |%n",
                    t.backlog(), t.listenBacklog(), orDash(t.kernelBacklog()), t.arrival().label(), s.clients(),
                    s.connected(), orDash(t.waiting().acceptQueue()), s.connecting(),
                    orDash(t.waiting().counterDeltas().get("TcpExt.ListenOverflows")), s.served(), s.gaveUp(),
                    s.refused(), s.reset()));
        }
        md.append('\n');
        boolean direct = report.trials().stream().anyMatch(t -> t.listenCall().contains("libc"));
        md.append(String.format(Locale.ROOT, "Settings: N = %s, connect timeout %s, the server starts accepting "
                        + "%s, one-after-another clients start at most %d ms apart.%s%n%n",
                report.settings().clients() != null ? String.valueOf(report.settings().clients())
                        : "B + " + report.settings().extraClients(),
                BacklogFindings.formatSeconds(report.settings().connectTimeoutMs() / 1000.0),
                report.settings().acceptAfterMs() == null ? "never"
                        : "after " + BacklogFindings.formatSeconds(report.settings().acceptAfterMs() / 1000.0),
                report.settings().staggerMs(),
                direct ? " A backlog of 0 is passed to listen(2) through libc (Java would pass 50)." : ""));

        md.append(h).append("What this run observed\n\n");
        for (String o : f.observations()) {
            md.append("- ").append(o).append('\n');
        }
        md.append('\n');

        md.append(h).append("What the settings imply\n\n");
        md.append(sysctlTable(report.kernelSettings()));
        for (String d : f.derived()) {
            md.append("- ").append(d).append('\n');
        }
        md.append('\n');
        if (!report.javaBacklogs().isEmpty()) {
            md.append("| Java code | passed to listen(2) | kernel backlog (ss Send-Q) |\n|---|---:|---:|\n");
            for (JavaBacklog j : report.javaBacklogs()) {
                md.append("| `").append(j.call()).append("` | ").append(j.passedToListen()).append(" | ")
                        .append(orDash(j.kernelBacklog())).append(" |\n");
            }
            md.append('\n');
        }

        md.append(h).append("Contrasting settings, in private network namespaces\n\n");
        for (String c : f.contrasts()) {
            md.append("- ").append(c).append('\n');
        }
        md.append('\n');

        md.append(h).append("Expectations against this run\n\n| expectation | on this machine | measured |\n|---|---|---|\n");
        for (BacklogFindings.Check c : f.expectations()) {
            md.append("| ").append(c.expectation()).append(" | ")
                    .append(c.heldHere() == null ? "not shown" : c.heldHere() ? "yes" : "**no**")
                    .append(" | ").append(c.measured()).append(" |\n");
        }
        md.append('\n');

        md.append(h).append("Other systems (as documented, not measured here)\n\n");
        for (String o : BacklogFindings.otherSystems()) {
            md.append("- ").append(o).append('\n');
        }
        md.append('\n');

        md.append(h).append("Every client\n\n");
        for (BacklogTrial t : report.trials()) {
            appendClients(md, t, "backlog " + t.backlog() + ", " + t.arrival().label());
        }
        for (NamespaceVariant v : report.variants()) {
            for (BacklogTrial t : v.trials()) {
                appendClients(md, t, "namespace `" + v.name() + "`: backlog " + t.backlog() + ", "
                        + t.arrival().label() + ", one accept() every " + t.acceptEveryMs() + " ms");
            }
        }
        md.append("Watch it yourself while `./ipc-lab backlog --backlog 2 --accept-after never` runs: "
                + "`ss -ltn` (Recv-Q, Send-Q of the LISTEN socket), `ss -tn state syn-sent`, "
                + "`nstat -az TcpExtListenOverflows TcpExtListenDrops`.\n");
        if (!report.notes().isEmpty()) {
            md.append('\n');
            for (String note : report.notes()) {
                md.append("> ").append(note).append('\n');
            }
        }
        return md.toString();
    }

    private static void appendClients(StringBuilder md, BacklogTrial t, String title) {
        md.append("<details><summary>").append(title).append(": ").append(t.summary().connected())
                .append(" of ").append(t.clients()).append(" connected before accept, ").append(t.summary().served())
                .append(" served</summary>\n\n");
        md.append("| client | start | connect() | while waiting: client / server side | SYN retransmits seen at | "
                + "connected, server had none | accepted | echo | fate |\n|---:|---:|---|---|---|---|---:|---:|---|\n");
        for (ClientResult c : t.clientResults()) {
            md.append("| ").append(c.client()).append(" | ").append(ms(c.startMs())).append(" | ")
                    .append(connectText(c)).append(" | ").append(c.clientState()).append(" / ").append(c.serverState())
                    .append(c.serverQueuedBytes() != null ? " (" + c.serverQueuedBytes() + " B queued)" : "")
                    .append(" | ").append(retransmits(c)).append(" | ")
                    .append(c.halfOpenAtMs() == null ? "" : ms(c.halfOpenAtMs()) + " (" + c.halfOpenServerState() + ")")
                    .append(" | ").append(c.acceptedAtMs() == null ? "" : ms(c.acceptedAtMs()))
                    .append(" | ").append(c.echoAtMs() == null ? "" : ms(c.echoAtMs()))
                    .append(" | ").append(c.fate().name().toLowerCase(Locale.ROOT).replace('_', ' ')).append(" |\n");
        }
        md.append("\n</details>\n\n");
    }

    static String connectText(ClientResult c) {
        String what = switch (c.connect()) {
            case CONNECTED -> "connected";
            case TIMED_OUT -> "gave up";
            case KERNEL_TIMED_OUT -> "ETIMEDOUT";
            case REFUSED -> "ECONNREFUSED";
            case RESET -> "ECONNRESET";
            case FAILED -> "failed";
            case PENDING -> "still connecting";
        };
        return c.connectMs() == null ? what : what + " after " + duration(c.connectMs());
    }

    static String retransmits(ClientResult c) {
        if (c.synRetransmitsAtMs().isEmpty()) {
            return "";
        }
        StringBuilder s = new StringBuilder();
        for (double at : c.synRetransmitsAtMs()) {
            if (s.length() > 0) {
                s.append(", ");
            }
            s.append(ms(at));
        }
        return s.toString();
    }

    /** A time since the server listened, e.g. "1.52 s" or "35 ms". */
    static String ms(double ms) {
        return ms >= 1000 ? String.format(Locale.ROOT, "%.2f s", ms / 1000) : String.format(Locale.ROOT, "%.0f ms", ms);
    }

    /** A duration, e.g. "0.16 ms", "35 ms", "2.04 s". */
    static String duration(double ms) {
        if (ms >= 1000) {
            return String.format(Locale.ROOT, "%.2f s", ms / 1000);
        }
        return ms >= 10 ? String.format(Locale.ROOT, "%.0f ms", ms) : String.format(Locale.ROOT, "%.2f ms", ms);
    }

    private static String sysctlTable(KernelSettings k) {
        if (k == null) {
            return "";
        }
        Map<String, Integer> rows = new java.util.LinkedHashMap<>();
        rows.put("net.core.somaxconn", k.somaxconn());
        rows.put("net.ipv4.tcp_max_syn_backlog", k.tcpMaxSynBacklog());
        rows.put("net.ipv4.tcp_abort_on_overflow", k.tcpAbortOnOverflow());
        rows.put("net.ipv4.tcp_syncookies", k.tcpSyncookies());
        rows.put("net.ipv4.tcp_syn_retries", k.tcpSynRetries());
        rows.put("net.ipv4.tcp_synack_retries", k.tcpSynackRetries());
        rows.put("net.ipv4.tcp_syn_linear_timeouts", k.tcpSynLinearTimeouts());
        StringBuilder md = new StringBuilder("| sysctl | value here |\n|---|---:|\n");
        rows.forEach((name, value) -> md.append("| `").append(name).append("` | ")
                .append(value == null ? "not on this kernel" : value).append(" |\n"));
        return md.append('\n').toString();
    }

    static String orDash(Object value) {
        return value == null ? "–" : value.toString();
    }
}

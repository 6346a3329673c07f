package org.ipclab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.Environment;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.RunInfo;
import org.ipclab.report.model.Results.TransportStatus;

/** The appendix's Environment and Method: where the run was made, the notes on it, and how it measured. */
final class FrontSections {

    /** What an environment fact tells the reader; facts not listed here are shown without a description. */
    private static final Map<String, String> FACT_MEANING = new LinkedHashMap<>();

    static {
        FACT_MEANING.put("hostname", "machine name");
        FACT_MEANING.put("os", "operating system");
        FACT_MEANING.put("kernel", "Linux kernel release (uname -r)");
        FACT_MEANING.put("virtualization", "hypervisor, if any");
        FACT_MEANING.put("cpu.model", "processor model (/proc/cpuinfo)");
        FACT_MEANING.put("cpus", "CPUs this process may run on");
        FACT_MEANING.put("memory", "total memory");
        FACT_MEANING.put("jdk", "Java runtime that ran the measurements");
        FACT_MEANING.put("clocksource", "the clock behind System.nanoTime()");
        FACT_MEANING.put("cpuidle.driver", "how an idle CPU waits (haltpoll: a KVM guest that halts, optionally after polling)");
        FACT_MEANING.put("cpuidle.governor", "picks how deeply an idle CPU sleeps");
        FACT_MEANING.put("guest_halt_poll_ns", "how long an idle vCPU polls before it halts, ns (0: it halts at once)");
        FACT_MEANING.put("halt_poll_ns", "how long an idle vCPU polls before it halts, ns (0: it halts at once)");
        FACT_MEANING.put("haltpoll.guest_halt_poll_ns",
                "how long an idle vCPU polls before it halts, ns (0: it halts at once)");
        FACT_MEANING.put("net.unix.max_dgram_qlen", "queue limit of a Unix datagram socket, messages");
        FACT_MEANING.put("pipe.default_bytes", "capacity of a new pipe (fcntl F_GETPIPE_SZ)");
        FACT_MEANING.put("pipe.max_bytes", "most a pipe can be given (/proc/sys/fs/pipe-max-size)");
        FACT_MEANING.put("fs.pipe-max-size", "most a pipe can be given");
        FACT_MEANING.put("net.core.somaxconn", "upper limit of a listen() backlog");
        FACT_MEANING.put("net.ipv4.tcp_max_syn_backlog", "limit of half-open connections per listener");
        FACT_MEANING.put("net.core.rmem_default", "default socket receive buffer, bytes");
        FACT_MEANING.put("net.core.wmem_default", "default socket send buffer, bytes");
        FACT_MEANING.put("net.core.rmem_max", "largest receive buffer setsockopt may ask for, bytes");
        FACT_MEANING.put("net.core.wmem_max", "largest send buffer setsockopt may ask for, bytes");
        FACT_MEANING.put("net.ipv4.tcp_rmem", "TCP receive buffer: min, default, max bytes");
        FACT_MEANING.put("net.ipv4.tcp_wmem", "TCP send buffer: min, default, max bytes");
        FACT_MEANING.put("mq.msg_max", "most messages a POSIX queue may hold (/proc/sys/fs/mqueue/msg_max)");
        FACT_MEANING.put("mq.msgsize_max", "largest POSIX message, bytes (/proc/sys/fs/mqueue/msgsize_max)");
        FACT_MEANING.put("mq.queues_max", "most POSIX queues on the system");
        FACT_MEANING.put("fs.mqueue.msg_max", "most messages a POSIX queue may hold");
        FACT_MEANING.put("fs.mqueue.msgsize_max", "largest POSIX message, bytes");
        FACT_MEANING.put("fs.mqueue.queues_max", "most POSIX queues on the system");
    }

    private final Measurements m;
    private final Markdown md;
    private final Results results;
    private final org.ipclab.report.chart.ChartWriter charts;

    FrontSections(Measurements m, Markdown md, org.ipclab.report.chart.ChartWriter charts) {
        this.m = m;
        this.md = md;
        this.charts = charts;
        this.results = m.results;
    }

    void render() throws java.io.IOException {
        md.anchor(Appendix.ENVIRONMENT);
        environment();
        method();
    }

    private void notes() {
        List<String> notes = Measurements.list(results.notes()).stream()
                .filter(n -> !NetworkSection.isNetworkNote(n)).toList();
        if (!notes.isEmpty()) {
            List<String> lines = new ArrayList<>();
            lines.add("**Notes on this run**");
            lines.add("");
            for (String note : notes) {
                lines.add("- " + Markdown.escape(note));
            }
            md.quote(lines);
        }
    }

    private void environment() {
        md.heading(2, "Environment");
        notes();
        Environment env = results.environment();
        if (env == null) {
            md.paragraph("The environment was not recorded in this run.");
            return;
        }
        Map<String, String> facts = env.facts() == null ? Map.of() : env.facts();
        MarkdownTable table = new MarkdownTable("fact", "value", "what it tells");
        for (Map.Entry<String, String> fact : facts.entrySet()) {
            table.row(Markdown.code(fact.getKey()), fact.getValue(),
                    FACT_MEANING.getOrDefault(fact.getKey(), ""));
        }
        table.row("load at start", Numbers.format(env.loadBefore()), "1-minute load average (/proc/loadavg)");
        table.row("load at end", Numbers.format(env.loadAfter()), "1-minute load average (/proc/loadavg)");
        md.table(table);

        String cpus = m.fact("cpus");
        String load = Double.isNaN(env.loadBefore()) || Double.isNaN(env.loadAfter())
                ? "The load average could not be read during the run."
                : "The 1-minute load average was " + Numbers.format(env.loadBefore()) + " when the run started and "
                        + Numbers.format(env.loadAfter()) + " when it ended" + (cpus == null ? "" : ", on " + cpus
                        + " CPUs") + ".";
        List<String> busy = Measurements.list(env.otherBusyProcesses());
        String others = busy.isEmpty()
                ? "No other process was seen using CPU during the run."
                : "Other processes used CPU during the run: " + Text.join(busy.stream().map(Markdown::escape).toList())
                        + ". Their work competes with the measurements and keeps CPUs awake, which changes wake-up "
                        + "costs: compare transports within this run, not with another run's numbers.";
        md.paragraph(load, others);
    }

    private void method() throws java.io.IOException {
        md.heading(2, "Method");
        md.heading(3, "The echo contract");
        md.paragraph("Every transport does the same work (RFC 862): a client sends bytes, and its echo peer sends "
                + "every byte back, in order, unchanged, until the client closes. The client knows how many bytes it "
                + "sent and reads exactly that many back, then compares them. The peer runs in its own process, so "
                + "every round trip crosses a process boundary.");

        md.anchor(Appendix.TRANSPORTS);
        md.heading(3, "How each transport works");
        md.paragraph("The system calls each side makes, in order (read top to bottom; dashed arrows are the kernel "
                + "answering). Watch them live with `strace -f -e trace=network,read,write,pipe2,clone,execve,mknodat,"
                + "openat,mq_open,mq_timedsend,mq_timedreceive -p PID` (man 1 strace).");
        java.util.Optional<String> labSocket = m.descriptors.labSocket(m.transports);
        for (String transport : m.transports) {
            if (labSocket.isPresent() && labSocket.get().equals(transport)) {
                md.paragraph("**" + Text.id(transport) + "**: its diagram is in the lab record, under Algorithm "
                        + "and flowchart.");
                continue;
            }
            String summary = m.status(transport).map(TransportStatus::summary).orElse(null);
            String state = m.status(transport).map(TransportStatus::status).orElse("");
            String header = "**" + Text.id(transport) + "**" + (summary == null || summary.isBlank()
                    ? "" : " — " + Markdown.escape(summary))
                    + (state.equalsIgnoreCase("measured") || state.isBlank() ? "" : " (" + state + " in this run)");
            var descriptor = m.descriptors.of(transport);
            java.util.Optional<String> diagram = descriptor.isEmpty() ? java.util.Optional.empty()
                    : SequenceDiagrams.draw(charts, transport, "One " + transport + " round trip",
                            descriptor.get().roundTrip());
            if (diagram.isPresent()) {
                md.paragraph(header);
                md.image("Sequence diagram of one " + Text.id(transport) + " round trip", diagram.get());
            } else {
                md.paragraph(header + ": the run recorded no diagram for this transport.");
            }
        }

        md.heading(3, "How it was measured");
        md.bullets(measurementBullets());
        settings();
    }

    private List<String> measurementBullets() {
        List<String> bullets = new ArrayList<>();
        List<LatencyResult> latency = m.latencyRows();
        if (!latency.isEmpty()) {
            long samples = latency.stream().mapToLong(LatencyResult::samples).sum();
            long verified = latency.stream().mapToLong(LatencyResult::verified).sum();
            long short_ = latency.stream().filter(r -> r.verified() < r.samples()).count();
            bullets.add("**Round-trip latency**: JMH in SampleTime mode; each sample is one round trip (the client "
                    + "writes n bytes and reads the n bytes back). Percentiles come from the distribution of the "
                    + "samples. Sizes: " + Text.join(m.latencySizes.stream().map(Numbers::size).toList()) + ". "
                    + Numbers.count(samples) + " round trips were sampled and " + Numbers.count(verified)
                    + " echoes compared byte for byte"
                    + (short_ == 0 ? " — every sampled echo was checked."
                            : "; " + Text.plural((int) short_, "measurement")
                            + " verified fewer echoes than it sampled (see the full latency table)."));
        }
        if (!m.allPlacements().isEmpty()) {
            List<String> placements = new ArrayList<>();
            for (Placement p : m.allPlacements()) {
                placements.add(switch (p) {
                    case SAME_CPU -> "*same CPU*: client and server pinned to one CPU, so they take turns on it "
                            + "and a wake-up is a context switch on a CPU that is already running";
                    case DIFFERENT_CPUS -> "*different CPUs*: client and server pinned to two different CPUs, so "
                            + "a message to a peer that sleeps must wake the other CPU";
                    case UNPINNED -> "*unpinned*: the scheduler chose the CPUs, and may move the processes during "
                            + "the run";
                });
            }
            bullets.add("**Placements**: " + String.join("; ", placements) + ".");
        }
        if (!m.throughputRows().isEmpty()) {
            bullets.add("**Streaming throughput**: the client streams writes of a fixed size while it reads the "
                    + "echo back; MiB/s of payload that came back. The bytes compared are counted in the throughput table.");
        }
        if (!m.setupRows().isEmpty()) {
            bullets.add("**Set-up cost**: time from nothing to the first echo — what exactly was timed is in the "
                    + "set-up table (connect and accept, spawn a child, open a queue).");
        }
        if (!m.cpuRows().isEmpty()) {
            bullets.add("**CPU time per round trip**: user + system CPU time of the client and the server thread "
                    + "(from `/proc/[pid]/task/[tid]/schedstat`) divided by the number of round trips, beside the "
                    + "wall time per round trip.");
        }
        if (!m.propertyRows().isEmpty()) {
            bullets.add("**Properties**: a small experiment per transport and property; what was done and seen is "
                    + "listed under the property matrix in Answer 1.");
        }
        if (results.backlog() != null && !results.backlog().isNull()) {
            bullets.add("**Backlog**: more clients than the backlog, against a server that does not accept; see "
                    + "Answer 2.");
        }
        if (!m.nativeRows().isEmpty()) {
            bullets.add("**C floor**: the same echo in C (native/ipclab_floor.c), run in the same session under the same "
                    + "placements, as the floor the Java transports are compared against.");
        }
        return bullets;
    }

    private void settings() {
        RunInfo run = results.run();
        if (run == null) {
            return;
        }
        MarkdownTable table = new MarkdownTable("setting", "value");
        if (run.settings() == null || !run.settings().containsKey("mode")) {
            table.row("mode", nullToUnknown(run.mode()));
        }
        if (run.settings() != null) {
            for (Map.Entry<String, String> setting : run.settings().entrySet()) {
                table.row(Markdown.code(setting.getKey()), setting.getValue());
            }
        }
        table.row("duration", Numbers.seconds(run.durationS()));
        table.row("ipc-lab version", nullToUnknown(run.version()));
        md.paragraph("Settings of this run:");
        md.table(table);
    }

    private static String nullToUnknown(String text) {
        return text == null || text.isBlank() ? "unknown" : Markdown.escape(text);
    }
}

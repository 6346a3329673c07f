package org.ipclab.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.chart.Charts;
import org.ipclab.report.chart.TransportPalette;
import org.ipclab.report.model.ServerMemoryResult;
import org.ipclab.report.model.ServerModelResult;

/**
 * Server designs: the TCP echo server as iterative, thread per connection, fixed pool, one selector thread and
 * virtual threads, against rising numbers of clients at once. The appendix has the table and the chart; the record
 * cites one sentence of it in Answer 2 and in the viva's iterative-or-concurrent answer.
 */
final class ServerModelsSection {

    static final String ANCHOR = "server-designs";
    static final String CHART = "server-models.svg";
    /** The models in the order the table and chart list them, each its own colour and marker. */
    static final List<String> MODELS = List.of("iterative", "threads", "pool", "nio", "virtual", "hybrid", "c-iterative",
            "c-epoll");

    private final Measurements m;

    ServerModelsSection(Measurements m) {
        this.m = m;
    }

    private List<ServerModelResult> points() {
        return m.results.serverModels() == null ? List.of() : m.results.serverModels();
    }

    void render(Markdown md, ChartWriter charts) throws IOException {
        List<ServerModelResult> points = points();
        List<ServerMemoryResult> memory = m.results.serverMemory() == null ? List.of() : m.results.serverMemory();
        if (points.isEmpty() && memory.isEmpty()) {
            return; // tcp was not measured, or the results file is older than the sweep: no section
        }
        md.anchor(ANCHOR).heading(3, "Server designs");
        if (points.isEmpty()) {
            memory(md, memory);
            return;
        }
        md.paragraph("The TCP echo server in each design (`./ipc-lab server tcp --model ...`), in its own process, "
                + "with clients connected at once from one thread of the harness: they all connect, then each sends "
                + "64 B echoes one after another. A client that is done stays connected until all are done, so a server "
                + "with a thread per client or a selector holds them all to the end; against the iterative server and the "
                + "fixed pool, which serve a few at a time, each closes after its last echo instead. An echo's time runs from its write to the "
                + "last byte of its echo, so a client the server is not serving yet counts its wait in its first echo; "
                + "the longest first echo is how long the last-served client waited. The servers "
                + "listened with a backlog of 4096, so waiting clients sat in the accept queue instead of "
                + "retransmitting their SYNs. Memory and threads are the server's peak during the point, from "
                + "`/proc/PID/status`.");
        List<Integer> clients = points.stream().map(ServerModelResult::clients).distinct().sorted().toList();
        List<String> models = MODELS.stream().filter(x -> points.stream().anyMatch(p -> p.model().equals(x))).toList();
        TransportPalette palette = TransportPalette.of(MODELS, id -> null);
        List<Charts.Line> lines = new ArrayList<>();
        for (String model : models) {
            List<Double> wait = new ArrayList<>();
            for (int c : clients) {
                wait.add(point(model, c).map(p -> Numbers.micros(p.longestFirstEcho())).orElse(null));
            }
            lines.add(new Charts.Line(model, model, wait, false, true));
        }
        String link = charts.write(CHART, Charts.lines(palette, "Server designs: how long the last client waits",
                "the longest time from a client's first write to its first echo · lower is better", "clients at once",
                "longest wait for a first echo (µs, log scale)", clients.stream().map(String::valueOf).toList(), lines,
                true));
        md.image("The longest wait for a first echo against clients at once, per server design", link);
        MarkdownTable table = new MarkdownTable("design", "clients", "echoes/s", "p50 (µs)", "p99 (µs)",
                "longest first echo (µs)", "RSS (MiB)", "threads", "unfinished").rightAlignFrom(1);
        for (String model : models) {
            for (int c : clients) {
                point(model, c).ifPresent(p -> table.row(Markdown.code(p.model()), Numbers.count(p.clients()),
                        Numbers.count(Math.round(p.echoesPerSecond())), Numbers.format(Numbers.micros(p.p50())),
                        Numbers.format(Numbers.micros(p.p99())), Numbers.format(Numbers.micros(p.longestFirstEcho())),
                        Numbers.format(p.rssMiB()),
                        Numbers.count(p.threads()), Numbers.count(p.unfinished())));
            }
        }
        md.table(table);
        if (models.contains("c-epoll") || models.contains("c-iterative")) {
            md.paragraph("`c-iterative` and `c-epoll` are the floor under these designs: the same sweep against a TCP "
                    + "echo server written in C (`native/ipclab_servers.c`), one client at a time like the lab's "
                    + "program, and one thread for all clients with epoll(7), which is what Java's Selector uses "
                    + "underneath `nio`.");
        }
        memory(md, memory);
        if (!models.contains("virtual")) {
            md.paragraph("The virtual-thread design needs Java 21 or newer; this run's JVM was older, so it was not "
                    + "measured (the run's notes say so).");
        }
    }

    /** Memory after load with idle connections, as Python's sockets measured it. */
    private static void memory(Markdown md, List<ServerMemoryResult> memory) {
        if (memory.isEmpty()) {
            return;
        }
        ServerMemoryResult first = memory.get(0);
        md.paragraph("Memory with idle connections, measured by a foreign client (Python's standard sockets): "
                + Numbers.count(first.loadClients()) + " clients each echoed " + first.loadEchoes() + " messages of "
                + Numbers.size(first.messageBytes()) + " and left, then " + Numbers.count(first.idleConnections())
                + " connections were opened and left idle, and one more client's echo timed while they stayed open.");
        MarkdownTable table = new MarkdownTable("design", "idle connections", "RSS after the load (MiB)",
                "RSS with them open (MiB)", "KiB per connection", "threads", "a new client's echo (ms)",
                "open-file limit").rightAlignFrom(1);
        List<String> said = new ArrayList<>();
        for (ServerMemoryResult r : memory) {
            table.row(Markdown.code(r.model()), Numbers.count(r.idleConnections()), Numbers.format(r.rssAfterLoadMiB()),
                    Numbers.format(r.rssIdleMiB()), Numbers.format(r.perConnectionKiB()), Numbers.count(r.threads()),
                    Numbers.format(Numbers.millis(r.newClientEcho())),
                    r.openFileLimit() < 0 ? "unlimited" : Numbers.count(r.openFileLimit()));
            said.add("`" + r.model() + "` " + Numbers.format(r.rssIdleMiB()) + " MiB ("
                    + Numbers.format(r.perConnectionKiB()) + " KiB per connection, " + Numbers.count(r.threads())
                    + " threads)");
        }
        md.table(table);
        md.paragraph("With " + Numbers.count(first.idleConnections()) + " idle connections the servers held "
                + Text.join(said) + ". A thread per connection pays for each thread's stack and bookkeeping; the "
                + "selector pays only for the socket" + (memory.stream().anyMatch(r -> r.model().equals("hybrid"))
                ? ", and `hybrid` (the TCP server's default) pays for threads only up to its limit and for sockets beyond"
                : "") + ". The JVM raises its open-file limit to the hard limit at start, "
                + "and the table gives what each server had.");
    }

    /**
     * The sentence Answer 2 and the viva cite: at the most clients the iterative server served, its p99 against the
     * concurrent designs', and where its waiting clients were. Empty when the sweep did not run.
     */
    Optional<String> iterativeSentence(String appendixLink) {
        List<ServerModelResult> points = points();
        Optional<ServerModelResult> iterative = points.stream().filter(p -> p.model().equals("iterative"))
                .filter(p -> p.unfinished() == 0).max(java.util.Comparator.comparingInt(ServerModelResult::clients));
        if (iterative.isEmpty() || iterative.get().clients() < 2) {
            return Optional.empty();
        }
        int n = iterative.get().clients();
        double waited = Numbers.micros(iterative.get().longestFirstEcho());
        List<String> others = new ArrayList<>();
        double fastestOther = Double.MAX_VALUE;
        for (String model : List.of("threads", "nio")) {
            Optional<ServerModelResult> other = point(model, n);
            if (other.isPresent()) {
                double wait = Numbers.micros(other.get().longestFirstEcho());
                fastestOther = Math.min(fastestOther, wait);
                others.add(time(wait) + " for `" + model + "`");
            }
        }
        String sweep = "In this run's [server-design sweep](" + appendixLink + "#" + ANCHOR + "), with " + n
                + " clients connected at once the last one the iterative server served waited " + time(waited)
                + " for its first echo" + (others.isEmpty() ? "" : ", against " + String.join(" and ", others)) + ". ";
        String why = "While an iterative server serves one client the others wait, connected but not accepted, in its "
                + "accept queue. That queue is the backlog, so an iterative server is where the backlog fills first.";
        List<String> slower = slowerThan(n, waited);
        if (!others.isEmpty() && fastestOther < waited && !slower.isEmpty()) {
            // said as measured: a concurrent design can lose to the iterative one when its threads outnumber the CPUs
            why = Text.join(slower) + " made the last client wait longer than the iterative server did: each echo is short, and with "
                    + (m.fact("cpus") == null ? "few" : m.fact("cpus")) + " CPUs its " + n + " threads take turns. "
                    + why;
        }
        if (!others.isEmpty() && fastestOther >= waited) {
            // said as measured: on few CPUs, starting and scheduling a thread per client can cost more than the wait
            why = "Here no concurrent design made the last client wait less: each echo is short, and with "
                    + (m.fact("cpus") == null ? "few" : m.fact("cpus")) + " CPUs many threads take turns. "
                    + why;
        }
        return Optional.of(sweep + why);
    }

    /** The thread-per-client designs whose last client, of {@code n}, waited longer than the iterative one's. */
    private List<String> slowerThan(int n, double iterativeWait) {
        List<String> slower = new ArrayList<>();
        for (String model : List.of("threads")) {
            point(model, n).filter(p -> Numbers.micros(p.longestFirstEcho()) > iterativeWait)
                    .ifPresent(p -> slower.add("`" + model + "`"));
        }
        return slower;
    }

    /** A time as the report writes it: µs below a millisecond, ms from there. */
    private static String time(double micros) {
        return Text.latency(micros);
    }

    private Optional<ServerModelResult> point(String model, int clients) {
        return points().stream().filter(p -> p.model().equals(model) && p.clients() == clients).findFirst();
    }
}

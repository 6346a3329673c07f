package org.ipclab.report;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.chart.Charts;
import org.ipclab.report.model.Results.CpuResult;
import org.ipclab.report.model.Results.Placement;

/** CPU time per round trip: client and server beside the wall time, and which transports spin. */
final class CpuSection extends Section {

    CpuSection(Measurements m, Markdown md, ChartWriter charts) {
        super(m, md, charts);
    }

    @Override
    void render() throws IOException {
        md.heading(3, "CPU time per round trip");
        List<CpuResult> rows = m.cpuSorted();
        if (rows.isEmpty()) {
            md.paragraph("CPU time was not measured in this run.");
            return;
        }
        md.paragraph("CPU time (user + system) the client and the server used per round trip, beside the mean wall "
                + "time of a round trip in the same measurement (its own run, so it is not the latency table's "
                + "median). The chart shows CPU time as a share of the wall time on different CPUs only: a side close "
                + "to 100 % never slept while it waited — it spun. On the same CPU the two processes take turns on "
                + "one CPU, so together they always fill close to 100 % of it whether they spin or sleep; a share "
                + "chart would say nothing there, and the table gives the microseconds instead.");
        List<Placement> placements = rows.stream().map(CpuResult::placement).distinct().sorted().toList();
        for (Placement placement : placements) {
            if (placement == Placement.SAME_CPU) {
                continue;
            }
            List<CpuResult> here = rows.stream().filter(r -> r.placement() == placement).toList();
            boolean severalSizes = here.stream().map(CpuResult::sizeBytes).distinct().count() > 1;
            List<Charts.CpuBar> bars = new ArrayList<>();
            for (CpuResult r : here) {
                if (r.clientPerRoundTrip() == null || r.serverPerRoundTrip() == null || r.wallPerRoundTrip() == null) {
                    continue;
                }
                bars.add(new Charts.CpuBar(r.transport(), r.transport()
                        + (severalSizes ? " " + Numbers.size(r.sizeBytes()) : ""),
                        Numbers.micros(r.clientPerRoundTrip()), Numbers.micros(r.serverPerRoundTrip()),
                        Numbers.micros(r.wallPerRoundTrip())));
            }
            if (bars.isEmpty()) {
                continue;
            }
            String subtitle = (severalSizes ? "" : Numbers.size(here.get(0).sizeBytes()) + " messages · ")
                    + "near 0: sleeps while waiting · near 100 % per side: spins";
            String link = charts.write("cpu-" + Text.slug(placement) + ".svg", Charts.cpuShares(m.palette, 
                    "CPU used per round trip, " + Text.where(placement), subtitle, bars));
            md.image("CPU time per round trip " + Text.where(placement) + ", client and server", link);
        }
        MarkdownTable table = new MarkdownTable("transport", "placement", "size", "client CPU (µs)",
                "server CPU (µs)", "mean wall (µs)", "client CPU ÷ wall", "server CPU ÷ wall").rightAlignFrom(2);
        for (CpuResult r : rows) {
            Double wall = Measurements.micros(r.wallPerRoundTrip());
            Double client = Measurements.micros(r.clientPerRoundTrip());
            Double server = Measurements.micros(r.serverPerRoundTrip());
            table.row(Text.id(r.transport()), r.placement().label(), Numbers.size(r.sizeBytes()), Cells.us(client),
                    Cells.us(server), Cells.us(wall), Cells.share(client, wall), Cells.share(server, wall));
        }
        md.table(table);
        md.paragraph(spinSentences().toArray(String[]::new));
    }

    /** ", beside a latency median of X" when the latency table has one for the same case: two quantities, named. */
    private String latencyBeside(CpuResult r) {
        Double p50 = m.p50Us(r.transport(), r.placement(), r.sizeBytes());
        return p50 == null ? "" : "; the latency table's median for the same case, a separate measurement, is "
                + Text.latency(p50);
    }

    /** Says which transports spin, with the numbers that show it, next to a transport that sleeps. */
    private List<String> spinSentences() {
        List<Measurements.Spin> spins = m.spinners();
        List<String> sentences = new ArrayList<>();
        if (spins.isEmpty()) {
            sentences.add("No side of any transport used " + Numbers.percent(Measurements.SPIN_CPU_SHARE)
                    + " or more of the wall time: none of them spun while waiting.");
            return sentences;
        }
        for (Measurements.Spin spin : spins) {
            CpuResult r = spin.row();
            double wall = Numbers.micros(r.wallPerRoundTrip());
            double client = Numbers.micros(r.clientPerRoundTrip());
            double server = Numbers.micros(r.serverPerRoundTrip());
            sentences.add(Text.id(spin.transport()) + " spins: at " + Numbers.size(r.sizeBytes()) + " "
                    + Text.where(r.placement()) + " its client used " + Text.latency(client) + " and its server "
                    + Text.latency(server) + " of CPU per round trip, whose mean wall time in this measurement was "
                    + Text.latency(wall) + " (" + Numbers.percent(client / wall) + " and " + Numbers.percent(server / wall)
                    + " of it)" + latencyBeside(r) + ". It is fast because the waiting "
                    + "side never sleeps, so it never pays for a wake-up; the price is a CPU kept busy by every "
                    + "waiting process, even when no message comes.");
            m.cpuRows().stream()
                    .filter(o -> o.placement() == r.placement() && o.sizeBytes() == r.sizeBytes()
                            && !m.spins(o.transport()) && o.wallPerRoundTrip() != null
                            && o.clientPerRoundTrip() != null && o.serverPerRoundTrip() != null)
                    .findFirst()
                    .ifPresent(o -> {
                        double oWall = Numbers.micros(o.wallPerRoundTrip());
                        sentences.add("For comparison, " + Text.id(o.transport()) + "'s client and server used "
                                + Numbers.percent(Numbers.micros(o.clientPerRoundTrip()) / oWall) + " and "
                                + Numbers.percent(Numbers.micros(o.serverPerRoundTrip()) / oWall) + " of its "
                                + Text.latency(oWall) + " mean round trip: it sleeps while it waits.");
                    });
        }
        return sentences;
    }
}

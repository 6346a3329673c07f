package org.ipclab.report;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import org.ipclab.report.chart.ChartWriter;
import org.ipclab.report.diagram.PlantUml;
import org.ipclab.report.model.Results.RunInfo;

/**
 * The lab record's opening, in the lab template's order: title and one line about the run, Aim, Objective, then
 * the algorithm of the lab's server and client as numbered steps, their flowcharts and tcp's round trip.
 */
final class OpeningSections {

    /** The flowcharts of {@link LabAlgorithm}'s steps (PlantUML activity diagrams), drawn here under these names. */
    static final String SERVER_FLOWCHART = ChartWriter.CHARTS_DIR + "/flowchart-server.svg";
    static final String CLIENT_FLOWCHART = ChartWriter.CHARTS_DIR + "/flowchart-client.svg";

    private final Measurements m;
    private final Markdown md;
    private final ChartWriter charts;

    OpeningSections(Measurements m, Markdown md, ChartWriter charts) {
        this.m = m;
        this.md = md;
        this.charts = charts;
    }

    void render() throws IOException {
        title();
        md.heading(2, "Aim");
        md.paragraph("To find out, by measuring on this machine, how socket programming differs from other ways "
                + "processes talk to each other (pipes, FIFOs, POSIX and System V message queues, shared memory, a "
                + "memory-mapped queue), and what "
                + "happens when more clients connect than the backlog given to `listen()` — the two questions of the "
                + "OS lab \"Socket Programming-I\".");
        md.heading(2, "Objective");
        md.numbered(List.of(
                "Write a TCP echo server and client with the socket API and run them on one machine.",
                "Run the same echo over every mechanism and measure round trip, streaming and set-up the same way.",
                "Show by experiment the properties that set the mechanisms apart, and what the kernel does with "
                        + "clients beyond the backlog.",
                "Answer the examiner's questions from what this run measured."));
        algorithm();
    }

    private void title() {
        md.heading(1, "Lab record: socket programming and other IPC mechanisms");
        RunInfo run = m.results.run();
        String machine = Optional.ofNullable(m.fact("hostname")).or(() -> Optional.ofNullable(m.fact("cpu.model")))
                .map(Markdown::escape).orElse("an unrecorded machine");
        String line = run == null ? "Run details not recorded"
                : "Run of " + (run.startedAt() == null ? known(null) : Text.instant(run.startedAt())) + " on " + machine + ", " + known(run.mode()) + " mode";
        md.paragraph(line + ". Every number comes from this run's `results.json`; tables, charts and raw evidence "
                + "not shown here are in the [appendix](" + Appendix.FILE + ").");
    }

    private void algorithm() throws IOException {
        md.heading(2, "Algorithm and flowchart");
        md.paragraph("**Server**");
        md.numbered(LabAlgorithm.sentences(LabAlgorithm.SERVER));
        md.paragraph("**Client**");
        md.numbered(LabAlgorithm.sentences(LabAlgorithm.CLIENT));
        md.image("Flowchart of the lab's echo server", flowchart(SERVER_FLOWCHART, "The lab's echo server",
                LabAlgorithm.SERVER));
        md.image("Flowchart of the lab's echo client", flowchart(CLIENT_FLOWCHART, "The lab's echo client",
                LabAlgorithm.CLIENT));
        Optional<String> socket = m.descriptors.labSocket(m.transports);
        Optional<String> diagram = Optional.empty();
        if (socket.isPresent() && m.descriptors.of(socket.get()).isPresent()) {
            diagram = SequenceDiagrams.draw(charts, socket.get(), "One " + socket.get() + " round trip",
                    m.descriptors.of(socket.get()).get().roundTrip());
        }
        if (diagram.isPresent()) {
            md.paragraph("One " + m.descriptors.name(socket.get()) + " round trip, system call by system call (dashed "
                    + "arrows are the kernel answering); the other mechanisms' diagrams are in the [appendix]("
                    + Appendix.FILE + "#" + Appendix.TRANSPORTS + ").");
            md.image("Sequence diagram of one " + Text.id(socket.get()) + " round trip", diagram.get());
        }
    }

    private String flowchart(String link, String title, List<LabAlgorithm.Step> steps) throws IOException {
        String fileName = link.substring(link.lastIndexOf('/') + 1);
        return charts.writeSvg(fileName, PlantUml.svg(LabAlgorithm.flowchart(title, steps)));
    }

    private static String known(String text) {
        return text == null || text.isBlank() ? "unknown" : Markdown.escape(text);
    }
}

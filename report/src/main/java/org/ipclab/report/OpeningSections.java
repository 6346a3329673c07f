package org.ipclab.report;

import java.util.List;
import java.util.Optional;

import org.ipclab.report.model.Results.RunInfo;

/**
 * The lab record's opening, in the lab template's order: title and one line about the run, Aim, Objective, then
 * the algorithm of the lab's server and client as numbered steps, their flowcharts and tcp's round trip.
 */
final class OpeningSections {

    /** The flowcharts another part of the report draws (PlantUML activity diagrams); linked by these names. */
    static final String SERVER_FLOWCHART = "charts/flowchart-server.svg";
    static final String CLIENT_FLOWCHART = "charts/flowchart-client.svg";

    private final Measurements m;
    private final Markdown md;

    OpeningSections(Measurements m, Markdown md) {
        this.m = m;
        this.md = md;
    }

    void render() {
        title();
        md.heading(2, "Aim");
        md.paragraph("To find out, by measuring on this machine, how socket programming differs from other ways "
                + "processes talk to each other (pipes, FIFOs, message queues, a shared memory-mapped queue), and what "
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
                : "Run of " + known(run.startedAt()) + " on " + machine + ", " + known(run.mode()) + " mode";
        md.paragraph(line + ". Every number comes from this run's `results.json`; tables, charts and raw evidence "
                + "not shown here are in the [appendix](" + Appendix.FILE + ").");
    }

    private void algorithm() {
        md.heading(2, "Algorithm and flowchart");
        md.paragraph("**Server**");
        md.numbered(List.of(
                "Create a TCP socket (`socket(AF_INET, SOCK_STREAM)`).",
                "Bind it to 127.0.0.1 and the port (65432, or the first argument) with `bind`.",
                "Mark it listening with `listen`: the kernel now completes handshakes and queues them.",
                "Take the next connection with `accept`, which returns a new socket for this client; print "
                        + "`Connected by <address>`.",
                "Loop: `recv` up to a buffer of bytes; if it returns end of stream (0 bytes), leave the loop; "
                        + "else `send` every byte back.",
                "Close the connection's socket and go back to step 4 for the next client."));
        md.paragraph("**Client**");
        md.numbered(List.of(
                "Create a TCP socket.",
                "`connect` it to 127.0.0.1 and the port; the kernel picks the client's own (ephemeral) port.",
                "`sendall` the message `Hello, world`: keep sending until every byte is written.",
                "`recv` the echo until as many bytes came back as were sent.",
                "Print `Received <the echo>`.",
                "Close the socket."));
        md.image("Flowchart of the lab's echo server", SERVER_FLOWCHART);
        md.image("Flowchart of the lab's echo client", CLIENT_FLOWCHART);
        Optional<String> socket = m.descriptors.labSocket(m.transports);
        Optional<String> diagram = socket.flatMap(m.descriptors::of)
                .flatMap(d -> SequenceDiagrams.mermaid(d.roundTrip()));
        if (diagram.isPresent()) {
            md.paragraph("One " + m.descriptors.name(socket.get()) + " round trip, system call by system call (dashed "
                    + "arrows are the kernel answering); the other mechanisms' diagrams are in the [appendix]("
                    + Appendix.FILE + "#" + Appendix.TRANSPORTS + ").");
            md.fenced("mermaid", diagram.get());
        }
    }

    private static String known(String text) {
        return text == null || text.isBlank() ? "unknown" : Markdown.escape(text);
    }
}

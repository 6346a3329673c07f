package org.ipclab.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ipclab.report.model.FailoverResult;
import org.ipclab.report.model.Results;

/**
 * "When a machine dies": what {@code ./ipc-lab failover kafka} measured, written as FAILOVER.md beside the
 * results.json that holds the figures (its {@code failover} entries).
 */
public final class FailoverSection {

    public static final String FILE = "FAILOVER.md";
    static final String ANCHOR = "when-a-machine-dies";

    private FailoverSection() {
    }

    /** Writes FAILOVER.md into {@code outDir}; returns its path. */
    public static Path write(List<FailoverResult> entries, Path outDir) throws IOException {
        Markdown md = new Markdown();
        md.heading(1, "ipc-lab failover");
        render(md, entries);
        Path file = outDir.resolve(FILE);
        Files.writeString(file, md.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** The section inside a report's appendix, when its results.json holds failover entries. */
    static void renderInAppendix(Markdown md, Results results) {
        if (results.failover() == null || results.failover().isEmpty()) {
            return;
        }
        md.anchor(ANCHOR);
        render(md, results.failover());
    }

    static void render(Markdown md, List<FailoverResult> entries) {
        md.heading(2, "When a machine dies");
        md.paragraph("Every mechanism of the comparison lives and dies with one machine: its kernel holds the pipe's"
                + " buffer, the socket's queues, the message queue. A broker cluster keeps each message on several"
                + " machines, so it can lose one. Here " + (entries.isEmpty() ? "3" : Numbers.count(entries.get(0).nodes()))
                + " Kafka nodes (each a JVM of its own on this host, standing in for a machine) held one partition with"
                + " 3 replicas and min.insync.replicas=2; a producer with acks=all and idempotence on wrote numbered"
                + " records, and the partition's leader was killed with SIGKILL in the middle of the stream. Afterwards"
                + " every record was read back and counted.");
        if (entries.isEmpty()) {
            md.paragraph("No failover was measured in this run: `./ipc-lab failover kafka --out DIR` measures one.");
            return;
        }
        MarkdownTable table = new MarkdownTable("transport", "nodes", "acknowledged", "lost", "written twice",
                "producing resumed after (ms)", "sends that failed").rightAlignFrom(1);
        for (FailoverResult e : entries) {
            table.row("`" + e.transport() + "`", Numbers.count(e.nodes()), Numbers.count(e.acknowledged()),
                    Numbers.count(e.lost()), Numbers.count(e.duplicates()), Numbers.count(e.resumeMs()),
                    Numbers.count(e.failedSends()));
        }
        md.table(table);
        FailoverResult first = entries.get(0);
        md.paragraph((first.lost() == 0
                        ? "None of the " + Numbers.count(first.acknowledged()) + " acknowledged records was lost"
                        : Numbers.count(first.lost()) + " of " + Numbers.count(first.acknowledged())
                                + " acknowledged records were lost")
                        + (first.duplicates() == 0 ? ", and none was written twice. " : ", and "
                                + Numbers.count(first.duplicates()) + (first.duplicates() == 1 ? " was" : " were")
                                + " written twice. ")
                        + "An acknowledgement with acks=all means every in-sync replica had the record, and the in-sync"
                        + " set may not shrink below 2, so an acknowledged record is on a machine that survived; the"
                        + " controller elects the new leader from that set only. The idempotent producer resent what the"
                        + " dead leader never acknowledged, and the new leader recognised a batch it already had by the"
                        + " producer's id and sequence number.",
                "Producing stopped for " + Numbers.count(first.resumeMs()) + " ms: the controller notices a dead node"
                        + " only when its heartbeats stop (broker.session.timeout.ms, 3 s here), then elects a new leader,"
                        + " and the producer finds it in fresh metadata. Until then every send waits in the producer's"
                        + " buffer: the price of not losing it.");
        md.heading(3, "Viva: Kafka uses sockets, so why is it slower than a socket?");
        md.paragraph("Because one echo through a broker is four socket hops and two log appends, not one hop each way:"
                + " client to broker (a Produce request, appended to the partition's log and acknowledged once the"
                + " in-sync replicas have it), broker to server (the server's Fetch, held until the record arrives), and"
                + " the same two hops back through the client's reply topic, plus the server's offset commit. Each hop"
                + " crosses the TCP stack and wakes threads in a third process. What the hops buy: the message outlives"
                + " every process, a reader may come later, many may read it, and a machine may die without losing it.");
    }
}

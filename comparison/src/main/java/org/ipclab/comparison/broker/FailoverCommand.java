package org.ipclab.comparison.broker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.Callable;

import org.ipclab.comparison.cli.ExitCodes;
import org.ipclab.comparison.cli.UserError;
import org.ipclab.kafka.KafkaFailover;
import org.ipclab.kafka.KafkaStartException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ipc-lab failover kafka}: kill the machine that leads a partition, count what was lost and how long it took. */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Kill a broker mid-stream and count what its clients lost.",
        subcommands = {FailoverCommand.Kafka.class})
public final class FailoverCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "choose a broker: kafka");
    }

    /** {@code ipc-lab failover kafka [--out DIR]}. */
    @Command(name = "kafka", mixinStandardHelpOptions = true,
            description = {"Start 3 Kafka nodes (KRaft, static quorum, 256 MB heap each, about 1 GB in all), make a topic"
                    + " with 3 replicas and min.insync.replicas=2, produce numbered records with acks=all and an"
                    + " idempotent producer, SIGKILL the partition's leader mid-stream, then read every record back:"
                    + " acknowledged, lost, duplicated, and the time until producing resumed. About a minute.",
                "Writes the figures into DIR/results.json (its `failover` entries; a compare run's results.json there"
                    + " keeps everything else) and leaves no process or data behind."})
    public static final class Kafka implements Callable<Integer> {

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "ipc-lab-report",
                description = "Directory of results.json (default: ${DEFAULT-VALUE}).")
        Path out;

        @Override
        public Integer call() throws IOException, InterruptedException {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UserError("--out " + out + " is not a directory");
            }
            KafkaFailover.Outcome outcome;
            try {
                outcome = KafkaFailover.run(line -> System.err.println("ipc-lab: " + line));
            } catch (KafkaStartException e) {
                throw new UserError("kafka failover: " + e.getMessage());
            }
            Path results = FailoverResults.write(out, outcome, Instant.now().toString());
            Path page = org.ipclab.report.FailoverSection.write(FailoverResults.entries(results), out);
            System.out.println("acknowledged " + outcome.acknowledged() + ", lost " + outcome.lost() + ", duplicated "
                    + outcome.duplicates() + "; producing resumed " + outcome.resumeMs() + " ms after SIGKILL of node "
                    + outcome.killedNode() + " (the leader)" + (outcome.failedSends() > 0
                    ? "; " + outcome.failedSends() + " sends failed (never acknowledged, so not lost)" : ""));
            System.out.println("Results: " + results.toAbsolutePath() + "; report: " + page.toAbsolutePath());
            if (Files.exists(out.resolve(org.ipclab.report.ReportWriter.REPORT_FILE))) {
                // a compare's directory: its lab record gets the section too (the appendix's "When a machine dies")
                try {
                    org.ipclab.report.ReportWriter.Written written = org.ipclab.report.ReportWriter.rerender(results, out);
                    System.out.println("Report with it: " + written.report().toAbsolutePath());
                } catch (IOException | RuntimeException e) {
                    System.err.println("ipc-lab: the lab record in " + out + " was not rendered again: " + e.getMessage());
                }
            }
            return outcome.lost() == 0 && outcome.resumeMs() >= 0 ? ExitCodes.OK : ExitCodes.FAILED;
        }
    }

    /** results.json's {@code failover} entries: added to the file, everything else in it kept as it was. */
    public static final class FailoverResults {
        private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        private FailoverResults() {
        }

        /** Every failover entry of a results.json, for the report page. */
        static java.util.List<org.ipclab.report.model.FailoverResult> entries(Path file) throws IOException {
            java.util.List<org.ipclab.report.model.FailoverResult> list = new java.util.ArrayList<>();
            for (var e : JSON.readTree(file.toFile()).path("failover")) {
                list.add(new org.ipclab.report.model.FailoverResult(e.path("transport").asText(), e.path("nodes").asInt(),
                        e.path("acknowledged").asLong(), e.path("lost").asLong(), e.path("duplicates").asLong(),
                        e.path("resumeMs").asLong(), e.path("killedNode").asInt(), e.path("failedSends").asLong(),
                        e.path("clusterStartMs").asLong()));
            }
            return list;
        }

        static Path write(Path out, KafkaFailover.Outcome outcome, String at) throws IOException {
            Files.createDirectories(out);
            Path file = out.resolve("results.json");
            ObjectNode root = Files.exists(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
            if (!root.has("schema")) {
                root.put("schema", org.ipclab.report.model.Results.SCHEMA);
            }
            ArrayNode entries = root.has("failover") && root.get("failover").isArray()
                    ? (ArrayNode) root.get("failover") : root.putArray("failover");
            // one entry per transport and node count: a new run replaces the last one's figures
            for (int i = entries.size() - 1; i >= 0; i--) {
                if (outcome.transport().equals(entries.get(i).path("transport").asText())
                        && entries.get(i).path("nodes").asInt() == outcome.nodes()) {
                    entries.remove(i);
                }
            }
            ObjectNode e = entries.addObject();
            e.put("transport", outcome.transport());
            e.put("nodes", outcome.nodes());
            e.put("acknowledged", outcome.acknowledged());
            e.put("lost", outcome.lost());
            e.put("duplicates", outcome.duplicates());
            e.put("resumeMs", outcome.resumeMs());
            e.put("killedNode", outcome.killedNode());
            e.put("failedSends", outcome.failedSends());
            e.put("clusterStartMs", outcome.startMs());
            e.put("at", at);
            Path tmp = out.resolve("results.json.tmp");
            JSON.writeValue(tmp.toFile(), root);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        }
    }
}

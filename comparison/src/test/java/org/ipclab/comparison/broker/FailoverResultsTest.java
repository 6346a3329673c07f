package org.ipclab.comparison.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.ipclab.kafka.KafkaFailover;
import org.ipclab.report.FailoverSection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** results.json's failover entries join what a compare wrote there, and FAILOVER.md says what they mean. */
class FailoverResultsTest {

    @TempDir
    Path out;

    @Test
    void theEntriesJoinAnExistingResultsJsonAndARerunReplacesItsOwnEntry() throws Exception {
        Files.writeString(out.resolve("results.json"), "{\"schema\":\"ipc-lab/results/v1\",\"latency\":[{\"transport\":\"tcp\"}]}");
        // invented figures: this test checks the file, not Kafka
        FailoverCommand.FailoverResults.write(out, new KafkaFailover.Outcome("kafka", 3, 6000, 0, 0, 3100, 2, 9000, 0), "t1");
        Path file = FailoverCommand.FailoverResults.write(out,
                new KafkaFailover.Outcome("kafka", 3, 6100, 0, 1, 2900, 1, 8000, 0), "t2");
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        assertEquals("tcp", root.get("latency").get(0).get("transport").asText(), "the compare's rows are kept");
        assertEquals(1, root.get("failover").size(), "one entry per transport and node count");
        JsonNode e = root.get("failover").get(0);
        assertEquals(List.of(6100L, 0L, 1L, 2900L), List.of(e.get("acknowledged").asLong(), e.get("lost").asLong(),
                e.get("duplicates").asLong(), e.get("resumeMs").asLong()));
        assertEquals(3, e.get("nodes").asInt());

        Path page = FailoverSection.write(FailoverCommand.FailoverResults.entries(file), out);
        String md = Files.readString(page);
        assertTrue(md.contains("## When a machine dies") && md.contains("None of the 6\u2009100 acknowledged records was lost")
                && md.contains("1 was written twice") && md.contains("Producing stopped for 2\u2009900 ms"), md);
        assertTrue(md.contains("Kafka uses sockets, so why is it slower than a socket?"), md);
    }
}

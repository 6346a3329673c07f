package org.ipclab.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The failover experiment, smaller than {@code ipc-lab failover kafka} (1,000 records before the kill, 500 after)
 * but the same cluster: 3 nodes, 3 replicas, min.insync.replicas=2, acks=all, the leader SIGKILLed.
 */
@Timeout(180)
class KafkaFailoverTest {

    @Test
    void killingThePartitionLeaderLosesNoAcknowledgedRecordAndWritesNoneTwice() throws Exception {
        Path dir;
        KafkaNodes.Node killed;
        KafkaFailover.Outcome outcome;
        try (KafkaNodes cluster = KafkaNodes.start(KafkaNodes.Options.oneNode().withNodes(KafkaFailover.NODES))) {
            dir = cluster.dir();
            outcome = KafkaFailover.run(cluster, 1000, 500, line -> { });
            killed = cluster.node(outcome.killedNode()).orElseThrow();
            assertFalse(killed.alive(), "the leader was SIGKILLed");
            assertEquals(2, cluster.nodes().stream().filter(KafkaNodes.Node::alive).count());
        }
        assertTrue(outcome.acknowledged() >= 1500, outcome.toString());
        assertEquals(0, outcome.lost(), outcome.toString());
        assertEquals(0, outcome.duplicates(), outcome.toString());
        assertTrue(outcome.resumeMs() > 0 && outcome.resumeMs() < 60_000, outcome.toString());
        assertFalse(Files.exists(dir), "the cluster's data directory is deleted, the killed node's too");
    }
}

package org.ipclab.report.model;

/**
 * One failover run ({@code ./ipc-lab failover kafka}): a cluster of {@code nodes}, the partition's leader killed with
 * SIGKILL while a producer wrote numbered records, then every record read back.
 *
 * @param transport      kafka
 * @param nodes          the cluster's nodes
 * @param acknowledged   records the cluster acknowledged (acks=all)
 * @param lost           acknowledged records that were not in the log afterwards
 * @param duplicates     records in the log more than once
 * @param resumeMs       from the kill to the first acknowledgement of a record sent after it
 * @param killedNode     the node that was killed (the leader)
 * @param failedSends    sends the producer gave up on (never acknowledged, so not counted as lost)
 * @param clusterStartMs how long the cluster took to start
 */
public record FailoverResult(String transport, int nodes, long acknowledged, long lost, long duplicates, long resumeMs,
                             int killedNode, long failedSends, long clusterStartMs) {
}

package org.ipclab.kafka;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * What happens when a machine dies: a 3-node cluster, one partition with 3 replicas and {@code min.insync.replicas=2},
 * an idempotent producer with {@code acks=all} writing numbered records; the partition's leader is SIGKILLed
 * mid-stream. Then every record is read back and counted: acknowledged, lost (acknowledged but not in the log),
 * duplicated (in the log twice), and how long after the kill the first newly sent record was acknowledged.
 *
 * <p>Why nothing acknowledged should be lost: with acks=all the leader acknowledges a record only once every replica
 * in the in-sync set has it, and that set never shrinks below 2 (min.insync.replicas), so an acknowledged record is on
 * at least one node that survives; the controller elects the new leader from the in-sync set only (unclean election
 * off). Why nothing should be written twice: the producer retries what the dead leader never acknowledged, and the
 * new leader recognises a batch it already has by the producer's id and sequence number. In between, producing
 * pauses: the controller notices the dead node when its heartbeats stop ({@code broker.session.timeout.ms}, 3 s here),
 * elects a new leader and the producer learns it from fresh metadata.
 */
public final class KafkaFailover {

    public static final int NODES = 3;
    public static final String TOPIC = "ipclab-failover";
    /** Records acknowledged before the kill, and at least as many after it. */
    static final int BEFORE_KILL = 3000;
    static final int AFTER_KILL = 3000;
    private static final Duration DEADLINE = Duration.ofSeconds(90);
    private static final int IN_FLIGHT = 200;

    /** The figures of one run, as results.json's {@code failover} entries hold them. */
    public record Outcome(String transport, int nodes, long acknowledged, long lost, long duplicates, long resumeMs,
                          int killedNode, long startMs, long failedSends) {
    }

    private KafkaFailover() {
    }

    public static Outcome run(Consumer<String> progress) throws IOException, InterruptedException {
        progress.accept("starting " + NODES + " Kafka nodes (KRaft, static quorum) ...");
        try (KafkaNodes cluster = KafkaNodes.start(KafkaNodes.Options.oneNode().withNodes(NODES))) {
            progress.accept("cluster up in " + cluster.startTime().toMillis() + " ms at " + cluster.bootstrap()
                    + ", " + cluster.residentBytes() / (1024 * 1024) + " MB resident");
            return run(cluster, BEFORE_KILL, AFTER_KILL, progress);
        }
    }

    /** Kills the leader once {@code beforeKill} records were acknowledged; stops {@code afterKill} records later. */
    static Outcome run(KafkaNodes cluster, int beforeKill, int afterKill, Consumer<String> progress)
            throws IOException, InterruptedException {
        String bootstrap = cluster.bootstrap();
        TopicPartition tp = new TopicPartition(TOPIC, 0);
        try (Admin admin = KafkaNodes.admin(bootstrap, Duration.ofSeconds(15))) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) NODES)
                            .configs(Map.of("min.insync.replicas", "2", "unclean.leader.election.enable", "false"))))
                    .all().get(30, TimeUnit.SECONDS);
            int leader = leader(admin);

            Properties props = KafkaWire.producer(bootstrap, Duration.ofSeconds(5));
            // keep retrying through the election: a record fails only after 60 s without an acknowledgement
            props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000);
            props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 60_000);
            BitSet acknowledged = new BitSet();
            AtomicLong failed = new AtomicLong();
            AtomicLong firstAckAfterKillNs = new AtomicLong();
            long[] kill = {Long.MAX_VALUE, Long.MAX_VALUE};   // {sequence sent first after the kill, nanoTime of it}
            Semaphore window = new Semaphore(IN_FLIGHT);
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            long seq = 0;
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
                while (System.nanoTime() < deadline) {
                    long acked;
                    synchronized (acknowledged) {
                        acked = acknowledged.cardinality();
                    }
                    if (kill[0] == Long.MAX_VALUE && acked >= beforeKill) {
                        progress.accept(acked + " records acknowledged; SIGKILL of node " + leader + ", the partition's leader");
                        synchronized (kill) {
                            kill[0] = seq;
                            kill[1] = System.nanoTime();
                        }
                        cluster.kill(leader);
                    }
                    if (kill[0] != Long.MAX_VALUE && acked >= beforeKill + afterKill && seq > kill[0] + afterKill) {
                        break;
                    }
                    if (!window.tryAcquire(1, TimeUnit.SECONDS)) {
                        continue;   // the window is full: the election is still going on
                    }
                    long n = seq++;
                    producer.send(new ProducerRecord<>(TOPIC, 0, null, ByteBuffer.allocate(8).putLong(n).array()), (meta, e) -> {
                        window.release();
                        if (e != null) {
                            failed.incrementAndGet();
                            return;
                        }
                        synchronized (acknowledged) {
                            acknowledged.set((int) n);
                        }
                        synchronized (kill) {
                            if (n >= kill[0]) {
                                firstAckAfterKillNs.compareAndSet(0, System.nanoTime());
                            }
                        }
                    });
                }
                producer.flush();
            }
            long resumeMs = firstAckAfterKillNs.get() == 0 ? -1
                    : TimeUnit.NANOSECONDS.toMillis(firstAckAfterKillNs.get() - kill[1]);
            progress.accept("producing resumed " + resumeMs + " ms after the kill; reading the log back ...");

            long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS).get(tp).offset();
            BitSet seen = new BitSet();
            long duplicates = 0;
            try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(KafkaWire.consumer(bootstrap, null,
                    Duration.ofSeconds(10)))) {
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                long readDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (consumer.position(tp) < end && System.nanoTime() < readDeadline) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                        int n = (int) ByteBuffer.wrap(r.value()).getLong();
                        if (seen.get(n)) {
                            duplicates++;
                        }
                        seen.set(n);
                    }
                }
            }
            BitSet lost;
            synchronized (acknowledged) {
                lost = (BitSet) acknowledged.clone();
            }
            long acknowledgedCount = lost.cardinality();
            lost.andNot(seen);
            return new Outcome("kafka", NODES, acknowledgedCount, lost.cardinality(), duplicates, resumeMs, leader,
                    cluster.startTime().toMillis(), failed.get());
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("failover: " + e.getMessage(), e);
        }
    }

    /**
     * The partition's leader, from the metadata the controller publishes. (For the controller itself, use
     * describeMetadataQuorum: in KRaft describeCluster().controller() is any broker, not the active controller.)
     */
    private static int leader(Admin admin) throws IOException {
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline) {
                TopicPartitionInfo partition = firstPartition(admin);
                if (partition != null && partition.leader() != null && partition.isr().size() == NODES) {
                    return partition.leader().id();
                }
                Thread.sleep(200);
            }
            throw new IOException("failover: the topic's 3 replicas were not in sync within 30 s");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("failover: cannot describe " + TOPIC + ": " + e.getMessage(), e);
        }
    }

    /** The topic's partition 0, or null while the broker that answers does not know the topic yet. */
    private static TopicPartitionInfo firstPartition(Admin admin)
            throws InterruptedException, ExecutionException, TimeoutException {
        try {
            return admin.describeTopics(List.of(TOPIC)).allTopicNames().get(10, TimeUnit.SECONDS).get(TOPIC)
                    .partitions().get(0);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnknownTopicOrPartitionException) {
                return null;   // just created: its metadata has not reached that broker (seen in CI); ask again
            }
            throw e;
        }
    }
}

package org.ipclab.kafka;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.TransportExperiments;

/**
 * The property experiments for Kafka, against the run's broker ({@link KafkaTransport#BOOTSTRAP_PROPERTY}): each
 * makes a topic of its own, talks to it with Kafka's own producer and consumer, and deletes it.
 */
final class KafkaExperiments implements TransportExperiments {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Override
    public String transport() {
        return KafkaDescriptor.INSTANCE.id();
    }

    private interface Body {
        Cell run(String bootstrap, String topic, Admin admin) throws Exception;
    }

    private static Cell withTopic(String value, Body body) throws Exception {
        String bootstrap = System.getProperty(KafkaTransport.BOOTSTRAP_PROPERTY);
        if (bootstrap == null) {
            return Cell.notDemonstrated(value, "no Kafka broker in this run (compare starts one; or set -D"
                    + KafkaTransport.BOOTSTRAP_PROPERTY + ")");
        }
        KafkaEndpoint endpoint = KafkaEndpoint.parse(bootstrap);
        String topic = "ipclab-experiment-" + UUID.randomUUID().toString().substring(0, 8);
        try (Admin admin = KafkaNodes.admin(endpoint.bootstrap(), WAIT)) {
            KafkaTopics.create(admin, endpoint, topic, WAIT);
            try {
                return body.run(endpoint.bootstrap(), topic, admin);
            } finally {
                admin.deleteTopics(List.of(topic)).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        return new KafkaProducer<>(KafkaWire.producer(bootstrap, WAIT));
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group, String topic) {
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(KafkaWire.consumer(bootstrap, group, WAIT));
        c.assign(List.of(new TopicPartition(topic, 0)));
        return c;
    }

    /** Polls until {@code n} records came or WAIT passed. */
    private static List<ConsumerRecord<byte[], byte[]>> read(KafkaConsumer<byte[], byte[]> c, int n) {
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (got.size() < n && System.nanoTime() < deadline) {
            c.poll(Duration.ofMillis(200)).forEach(got::add);
        }
        return got;
    }

    private static void send(KafkaProducer<byte[], byte[]> p, String topic, byte[]... values) throws Exception {
        for (byte[] v : values) {
            p.send(new ProducerRecord<>(topic, 0, (byte[]) null, v)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public Cell direction(Path dir) throws Exception {
        return withTopic("both ways, through the broker", (bootstrap, topic, admin) -> {
            try (EchoServer server = new KafkaTransport().serve(bootstrap + "/" + topic, ServerSettings.defaults());
                 EchoClient client = new KafkaTransport().connect(bootstrap + "/" + topic,
                         ClientSettings.defaults().withTimeout(WAIT))) {
                byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
                byte[] back = new byte[ping.length];
                client.roundTrip(ping, back, ping.length);
                boolean ok = Arrays.equals(ping, back);
                return Cell.measured(ok ? "both ways, through the broker" : "one way only",
                        "The client appended 'ping' to " + topic + "; the echo server read it and appended it to the"
                                + " client's own reply topic, which the client read: " + (ok ? "'ping' came back" : "no echo")
                                + ". Neither side has a connection to the other: both are TCP clients of the broker.");
            }
        });
    }

    @Override
    public Cell messageBoundaries(Path dir) throws Exception {
        return withTopic("kept: one record per send", (bootstrap, topic, admin) -> {
            try (var p = producer(bootstrap); var c = consumer(bootstrap, null, topic)) {
                send(p, topic, new byte[1], new byte[100], new byte[10]);
                List<Integer> sizes = read(c, 3).stream().map(r -> r.value().length).toList();
                boolean kept = sizes.equals(List.of(1, 100, 10));
                return Cell.measured(kept ? "kept: one record per send" : "not kept",
                        "Three records of 1, 100 and 10 bytes were produced; the consumer's poll() returned records of "
                                + sizes + " bytes: each record is a unit with its own offset, never merged or split.");
            }
        });
    }

    @Override
    public Cell capacityBeforeWriterBlocks(Path dir) throws Exception {
        return withTopic("disk and retention: the writer does not wait for a reader", (bootstrap, topic, admin) -> {
            int records = 2000;
            byte[] value = new byte[1024];
            try (var p = producer(bootstrap)) {
                List<Future<?>> acks = new ArrayList<>();
                for (int i = 0; i < records; i++) {
                    acks.add(p.send(new ProducerRecord<>(topic, 0, (byte[]) null, value)));
                }
                for (Future<?> ack : acks) {
                    ack.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
                }
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS)
                    .get(tp).offset();
            return Cell.measured("disk and retention: the writer does not wait for a reader",
                    records + " records of 1 KiB were produced with no consumer at all and every one was acknowledged;"
                            + " the log's end offset is " + end + ". The broker keeps records on disk until retention"
                            + " removes them (retention.ms, 7 days by default; retention.bytes), whether read or not:"
                            + " a producer blocks only when its own buffer.memory (32 MiB) fills because the broker is slow.");
        });
    }

    @Override
    public Cell senderWithNoPeer(Path dir) throws Exception {
        return withTopic("the request waits in the log", (bootstrap, topic, admin) -> {
            try (var p = producer(bootstrap)) {
                send(p, topic, "early".getBytes(StandardCharsets.US_ASCII));
            }
            Thread.sleep(500);
            try (var c = consumer(bootstrap, "ipclab-experiment", topic)) {
                List<ConsumerRecord<byte[], byte[]>> got = read(c, 1);
                boolean waited = got.size() == 1;
                return Cell.measured(waited ? "the request waits in the log" : "lost",
                        "A record was produced while no consumer existed; the send succeeded at once (acks=all), and a"
                                + " consumer started half a second later read it at offset "
                                + (waited ? got.get(0).offset() : "-") + ". No reader is needed to write.");
            }
        });
    }

    @Override
    public Cell survivesCrash(Path dir) throws Exception {
        return withTopic("yes: the log and the committed offsets outlive the processes", (bootstrap, topic, admin) -> {
            String group = "ipclab-experiment-" + UUID.randomUUID().toString().substring(0, 8);
            try (var p = producer(bootstrap)) {
                send(p, topic, new byte[] {1}, new byte[] {2}, new byte[] {3});
            }
            TopicPartition tp = new TopicPartition(topic, 0);
            try (var first = consumer(bootstrap, group, topic)) {
                read(first, 3);
                // processed the first record only, then "crashed": its position is what it committed, not what it read
                first.commitSync(Map.of(tp, new OffsetAndMetadata(1)));
            }
            try (var second = consumer(bootstrap, group, topic)) {
                List<ConsumerRecord<byte[], byte[]>> again = read(second, 2);
                String offsets = again.stream().map(r -> String.valueOf(r.offset())).toList().toString();
                return Cell.measured("yes: the log and the committed offsets outlive the processes",
                        "A consumer read 3 records, committed offset 1 and went away; a new consumer of the same group"
                                + " started from the committed offset and read the records at offsets " + offsets
                                + ". The records and the offsets are in the broker's logs (__consumer_offsets), so"
                                + " either side can die; with 3 replicas so can a broker (`ipc-lab failover kafka`).");
            }
        });
    }

    @Override
    public Cell whoCanConnect(Path dir) throws Exception {
        return withTopic("any host that can reach the broker", (bootstrap, topic, admin) -> {
            var nodes = admin.describeCluster().nodes().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            String listeners = nodes.stream().map(n -> n.host() + ":" + n.port()).toList().toString();
            return Cell.measured("any host that can reach the broker",
                    "The cluster advertises its brokers at " + listeners + " (TCP). Any process on any host that can"
                            + " open a TCP connection to them (and pass its authentication, none here) may produce"
                            + " and consume; this lab's broker listens on 127.0.0.1 only.");
        });
    }

    @Override
    public Cell manyClients(Path dir) throws Exception {
        return withTopic("many: each client has its own reply topic", (bootstrap, topic, admin) -> {
            int clients = 4;
            String endpoint = bootstrap + "/" + topic;
            ExecutorService pool = Executors.newFixedThreadPool(clients);
            try (EchoServer server = new KafkaTransport().serve(endpoint, ServerSettings.defaults())) {
                List<Future<Boolean>> done = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    byte[] message = ("client " + i).getBytes(StandardCharsets.US_ASCII);
                    done.add(pool.submit(() -> {
                        try (EchoClient c = new KafkaTransport().connect(endpoint, ClientSettings.defaults().withTimeout(WAIT))) {
                            byte[] back = new byte[message.length];
                            c.roundTrip(message, back, message.length);
                            return Arrays.equals(message, back);
                        }
                    }));
                }
                int ok = 0;
                for (Future<Boolean> f : done) {
                    ok += f.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS) ? 1 : 0;
                }
                return Cell.measured("many: each client has its own reply topic",
                        clients + " clients at once appended to one request topic; the one echo server answered each on"
                                + " its own reply topic: " + ok + " of " + clients + " got their own bytes back. Many"
                                + " servers would share the work as one consumer group, one partition each.");
            } finally {
                pool.shutdownNow();
            }
        });
    }
}

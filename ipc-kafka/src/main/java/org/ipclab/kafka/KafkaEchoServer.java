package org.ipclab.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.ipclab.core.Closer;
import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;

/**
 * The echo server over Kafka: one thread reads the request topic and writes each record's value back to the reply
 * topic its headers name, then commits how far it has read.
 *
 * <p>The order of those two steps is the delivery guarantee. Echo, wait for the broker's acknowledgement, then
 * commit: a server killed in between has its echoes written but not its position, so its successor reads those
 * requests again and echoes them a second time (at least once; the client drops the repeat by its sequence number).
 * Commit first and a server killed in between would never echo them (at most once). The committed position lives in
 * the broker's {@code __consumer_offsets} topic under the group {@code ipclab-echo-server-<topic>}, so it survives
 * the server; see it with {@code kafka-consumer-groups --describe --group ...}, or in the tests' AdminClient.
 */
final class KafkaEchoServer implements EchoServer {

    private static final Duration POLL = Duration.ofMillis(200);
    /** How long an echo may take to be acknowledged; a client's reply topic deleted meanwhile fails it sooner. */
    private static final Duration ECHO_TIMEOUT = Duration.ofSeconds(5);

    private final KafkaEndpoint endpoint;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> producer;
    private final ServerSettings settings;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicBoolean closing = new AtomicBoolean();
    private final Thread loop;
    private volatile long echoed;

    private KafkaEchoServer(KafkaEndpoint endpoint, ServerSettings settings) {
        this.endpoint = endpoint;
        this.settings = settings;
        var props = KafkaWire.producer(endpoint.bootstrap(), ECHO_TIMEOUT);
        // a reply topic that is gone (its client closed) would block send() for max.block.ms waiting for metadata
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 2000);
        this.producer = new KafkaProducer<>(props);
        this.consumer = new KafkaConsumer<>(KafkaWire.consumer(endpoint.bootstrap(), group(endpoint.topic()), ECHO_TIMEOUT));
        /* assign(), not subscribe(): one server reads the topic's one partition, with no group rebalance to wait for
         * (seconds); the group is only where the committed position is kept. */
        TopicPartition requests = new TopicPartition(endpoint.topic(), 0);
        consumer.assign(List.of(requests));
        this.loop = new Thread(this::run, "kafka-echo " + endpoint.topic());
    }

    static String group(String topic) {
        return "ipclab-echo-server-" + topic;
    }

    static KafkaEchoServer open(KafkaEndpoint endpoint, ServerSettings settings, Duration connectTimeout) throws IOException {
        try (Admin admin = KafkaNodes.admin(endpoint.bootstrap(), connectTimeout)) {
            KafkaTopics.create(admin, endpoint, endpoint.topic(), connectTimeout);
        }
        KafkaEchoServer server = new KafkaEchoServer(endpoint, settings);
        try {
            // the first poll joins nothing (assign) but looks up the committed position: where the last server stopped
            server.consumer.position(new TopicPartition(endpoint.topic(), 0), connectTimeout);
        } catch (org.apache.kafka.common.KafkaException e) {
            server.closeClients();
            throw new IOException("kafka: cannot read " + endpoint.topic() + " at " + endpoint.bootstrap() + ": " + e.getMessage());
        }
        server.loop.start();
        return server;
    }

    private void run() {
        Map<TopicPartition, OffsetAndMetadata> lastPosition = null;
        try {
            while (!closing.get()) {
                ConsumerRecords<byte[], byte[]> records;
                try {
                    records = consumer.poll(POLL);
                } catch (WakeupException e) {
                    break;
                }
                if (records.isEmpty()) {
                    continue;
                }
                List<Future<RecordMetadata>> acks = new ArrayList<>();
                long next = -1;
                for (ConsumerRecord<byte[], byte[]> r : records) {
                    next = r.offset() + 1;
                    String replyTo = KafkaWire.text(r.headers(), KafkaWire.REPLY_TO);
                    if (replyTo == null) {
                        settings.log().accept("kafka echo: record " + r.offset() + " names no reply topic; skipped");
                        continue;
                    }
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(KafkaWire.SEQ, KafkaWire.seq(KafkaWire.seq(r.headers())));
                    try {
                        acks.add(producer.send(new ProducerRecord<>(replyTo, 0, (byte[]) null, r.value(), headers)));
                    } catch (org.apache.kafka.common.KafkaException e) {
                        settings.log().accept("kafka echo: cannot answer on " + replyTo + " (" + e.getMessage() + "); skipped");
                    }
                }
                // wait for the broker to acknowledge every echo of this batch, then commit the batch
                for (Future<RecordMetadata> ack : acks) {
                    try {
                        ack.get(ECHO_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
                        echoed++;
                    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                        // the client's reply topic is gone (it closed or timed out): nobody waits for this echo
                        settings.log().accept("kafka echo: an echo was not delivered: " + e.getMessage());
                    }
                }
                /* commitAsync: the OffsetCommit request goes out now, after the acknowledgements, and the loop does
                 * not wait for its answer (one broker round trip less per echo). A server killed before the
                 * commit landed has its successor answer these requests again: at least once, as with commitSync. */
                Map<TopicPartition, OffsetAndMetadata> position =
                        Map.of(new TopicPartition(endpoint.topic(), 0), new OffsetAndMetadata(next));
                consumer.commitAsync(position, (offsets, e) -> {
                    if (e != null) {
                        settings.log().accept("kafka echo: commit failed (these requests may be answered again): " + e);
                    }
                });
                lastPosition = position;
            }
            if (lastPosition != null) {
                consumer.commitSync(lastPosition, ECHO_TIMEOUT);   // on the way out: the position, for the next server
            }
        } catch (WakeupException e) {
            // close() woke us: stop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (!closing.get()) {
                settings.log().accept("kafka echo server stopped: " + e);
            }
        } finally {
            closeClients();
            stopped.countDown();
        }
    }

    private void closeClients() {
        Closer.closeQuietly(null, () -> producer.close(Duration.ofSeconds(5)), () -> consumer.close(Duration.ofSeconds(5)));
    }

    /** How many echoes the broker acknowledged. */
    long echoed() {
        return echoed;
    }

    String describe() {
        return "reads " + endpoint.topic() + ", group " + group(endpoint.topic());
    }

    @Override
    public String endpoint() {
        return endpoint.toString();
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() throws IOException {
        if (!closing.compareAndSet(false, true)) {
            return;
        }
        consumer.wakeup();
        try {
            if (!stopped.await(15, TimeUnit.SECONDS)) {
                throw new IOException("kafka echo server did not stop within 15 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

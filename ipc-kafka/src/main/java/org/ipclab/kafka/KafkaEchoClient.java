package org.ipclab.kafka;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.ipclab.core.AbstractEchoClient;
import org.ipclab.core.Closer;

/**
 * One echo client over Kafka: a producer that appends the client's bytes to the request topic and a consumer that
 * reads the echoes from a reply topic of the client's own ({@code ipclab-reply-<random>}, one partition, made when the
 * client starts and deleted when it closes).
 *
 * <p>Delivery, as the client sees it: exactly once, in order. On the wire it is at least once: the echo server commits
 * how far it has read only after the broker acknowledged its echoes, so a server that dies between the two answers
 * those requests again after its restart. Each piece carries a sequence number and the client drops a piece it has
 * already seen ({@link #duplicatesDropped()}); the idempotent producers on both sides keep a retried send from being
 * written twice. A request sent while no server runs is not lost: it waits in the request topic's log.
 */
final class KafkaEchoClient extends AbstractEchoClient {

    private final Admin admin;
    private final KafkaProducer<byte[], byte[]> producer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String requestTopic;
    private final String replyTopic;
    private final byte[] replyTo;
    private final AtomicReference<Exception> sendFailure = new AtomicReference<>();
    private final ArrayDeque<byte[]> arrived = new ArrayDeque<>();
    private int arrivedOffset;
    private long nextSendSeq;
    private long nextReceiveSeq;
    private long duplicates;

    private KafkaEchoClient(KafkaEndpoint endpoint, Duration timeout, Admin admin, String replyTopic) {
        super("kafka " + endpoint, timeout);
        this.admin = admin;
        this.requestTopic = endpoint.topic();
        this.replyTopic = replyTopic;
        this.replyTo = replyTopic.getBytes(StandardCharsets.UTF_8);
        this.producer = new KafkaProducer<>(KafkaWire.producer(endpoint.bootstrap(), timeout));
        this.consumer = new KafkaConsumer<>(KafkaWire.consumer(endpoint.bootstrap(), null, timeout));
        TopicPartition reply = new TopicPartition(replyTopic, 0);
        consumer.assign(List.of(reply));
        consumer.seek(reply, 0);   // the first echo may be written before our first poll: read from the start
    }

    /**
     * Makes the reply topic (and the request topic, if no server made it yet) and connects; an IOException within
     * {@code timeout} when no broker answers.
     */
    static KafkaEchoClient connect(KafkaEndpoint endpoint, Duration timeout) throws IOException {
        Admin admin = KafkaNodes.admin(endpoint.bootstrap(), timeout);
        String replyTopic = KafkaWire.REPLY_TOPIC_PREFIX + UUID.randomUUID().toString().substring(0, 13);
        try {
            KafkaTopics.create(admin, endpoint, endpoint.topic(), timeout);
            KafkaTopics.createReplyTopic(admin, endpoint, replyTopic, timeout);
            return new KafkaEchoClient(endpoint, timeout, admin, replyTopic);
        } catch (IOException | RuntimeException e) {
            Closer.closeQuietly(e, admin);
            throw e;
        }
    }

    String replyTopic() {
        return replyTopic;
    }

    /** Echoed pieces that came a second time (a server restarted before committing) and were dropped. */
    long duplicatesDropped() {
        return duplicates;
    }

    @Override
    protected void doSend(byte[] src, int offset, int length) throws IOException {
        checkSendFailure();
        // the contract is a byte echo: zero bytes are nothing to send (and nothing comes back)
        int at = offset;
        int end = offset + length;
        while (at < end) {
            int n = Math.min(KafkaWire.CHUNK_BYTES, end - at);
            byte[] value = java.util.Arrays.copyOfRange(src, at, at + n);
            RecordHeaders headers = new RecordHeaders();
            headers.add(KafkaWire.REPLY_TO, replyTo);
            headers.add(KafkaWire.SEQ, KafkaWire.seq(nextSendSeq++));
            try {
                /* send() only appends to the producer's buffer; its I/O thread writes a Produce request to the
                 * partition leader's socket (write(2) on a TCP connection) and the broker appends it to the
                 * partition's log file. The callback runs when the broker acknowledged it (acks=all). */
                producer.send(new ProducerRecord<>(requestTopic, 0, (byte[]) null, value, headers), (meta, e) -> {
                    if (e != null) {
                        sendFailure.compareAndSet(null, e);
                    }
                });
            } catch (org.apache.kafka.common.KafkaException e) {
                throw new IOException("kafka: could not send to " + requestTopic + ": " + e.getMessage(), e);
            }
            at += n;
        }
    }

    @Override
    protected void doReceive(byte[] dst, int offset, int length) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        int filled = 0;
        while (filled < length) {
            byte[] head = arrived.peekFirst();
            if (head != null) {
                int n = Math.min(head.length - arrivedOffset, length - filled);
                System.arraycopy(head, arrivedOffset, dst, offset + filled, n);
                filled += n;
                arrivedOffset += n;
                if (arrivedOffset == head.length) {
                    arrived.removeFirst();
                    arrivedOffset = 0;
                }
                continue;
            }
            checkSendFailure();
            long leftNs = deadline - System.nanoTime();
            if (leftNs <= 0) {
                throw new SocketTimeoutException("kafka: no echo within " + timeout.toMillis() + " ms on " + replyTopic
                        + " (" + filled + " of " + length + " bytes back; is `ipc-lab server kafka` running?)");
            }
            /* poll(): a Fetch request to the reply partition's leader; the broker holds it until a record is there
             * (fetch.min.bytes=1) or fetch.max.wait.ms passed, and sends the log's bytes with sendfile(2). */
            try {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofNanos(Math.min(leftNs, 200_000_000L)))) {
                    long seq = KafkaWire.seq(r.headers());
                    if (seq < nextReceiveSeq) {
                        duplicates++;
                        continue;
                    }
                    if (seq > nextReceiveSeq) {
                        throw new IOException("kafka: echo piece " + nextReceiveSeq + " is missing (piece " + seq + " came)");
                    }
                    nextReceiveSeq++;
                    arrived.addLast(r.value() == null ? new byte[0] : r.value());
                }
            } catch (org.apache.kafka.common.KafkaException e) {
                throw new IOException("kafka: could not read " + replyTopic + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    protected void doFinishSending() throws IOException {
        try {
            producer.flush();
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IOException("kafka: flush failed: " + e.getMessage(), e);
        }
        checkSendFailure();
    }

    @Override
    protected void doClose() throws IOException {
        Duration bound = Duration.ofSeconds(Math.min(5, Math.max(1, timeout.toSeconds())));
        try {
            Closer.closeAll(() -> producer.close(bound), () -> consumer.close(bound),
                    () -> deleteReplyTopic(bound), () -> admin.close(bound));
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException("kafka: closing the client failed: " + e.getMessage(), e);
        }
    }

    private void deleteReplyTopic(Duration bound) throws IOException {
        try {
            admin.deleteTopics(Set.of(replyTopic)).all().get(bound.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // the broker is gone (its data goes with it) or slow: the topic is left, named ipclab-reply-*
        }
    }

    private void checkSendFailure() throws IOException {
        Exception e = sendFailure.get();
        if (e != null) {
            throw new IOException("kafka: a request was not delivered: " + e.getMessage(), e);
        }
    }
}

package org.ipclab.kafka;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * What the echo client and server agree on: the headers of a record and the clients' settings.
 *
 * <p>A request is a record on the request topic whose value is a piece of the client's bytes; its headers name the
 * client's own reply topic ({@value #REPLY_TO}) and the piece's sequence number ({@value #SEQ}). The echo is a
 * record with the same value and sequence number on that reply topic. A message larger than {@link #CHUNK_BYTES} is
 * sent as several records: the broker refuses a record batch larger than {@code message.max.bytes} (1 MiB by
 * default) with RecordTooLargeException, and the producer one larger than {@code max.request.size}.
 */
final class KafkaWire {

    static final String REPLY_TO = "reply-to";
    static final String SEQ = "seq";
    /** Well under the broker's 1 MiB {@code message.max.bytes}, with room for the batch and record headers. */
    static final int CHUNK_BYTES = 512 * 1024;
    static final String REPLY_TOPIC_PREFIX = "ipclab-reply-";

    private KafkaWire() {
    }

    static byte[] seq(long n) {
        return ByteBuffer.allocate(Long.BYTES).putLong(n).array();
    }

    static long seq(Headers headers) {
        Header h = headers.lastHeader(SEQ);
        return h == null || h.value().length != Long.BYTES ? -1 : ByteBuffer.wrap(h.value()).getLong();
    }

    static String text(Headers headers, String key) {
        Header h = headers.lastHeader(key);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /**
     * An idempotent producer that waits for every in-sync replica: the broker numbers each producer's batches
     * (producer id + sequence) and drops a batch it already has, so a retry after a lost acknowledgement does not
     * write the record twice. linger.ms=0: a record is sent at once, not held to fill a batch.
     */
    static Properties producer(String bootstrap, Duration timeout) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        int ms = millis(timeout);
        // send() blocks at most max.block.ms (metadata, a full buffer); a record fails after delivery.timeout.ms
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, ms);
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, ms);
        p.put(ProducerConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        p.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return p;
    }

    /** fetch.min.bytes=1: the broker answers a fetch as soon as one byte is there (it holds it up to fetch.max.wait.ms). */
    static Properties consumer(String bootstrap, String group, Duration timeout) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        if (group != null) {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, 1);
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        int ms = millis(timeout);
        p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, ms);
        p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
        p.put(ConsumerConfig.RETRY_BACKOFF_MS_CONFIG, 50);
        p.put(ConsumerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 500);
        return p;
    }

    static int millis(Duration d) {
        return (int) Math.max(1000, Math.min(Integer.MAX_VALUE, d.toMillis()));
    }
}

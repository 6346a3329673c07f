package org.ipclab.kafka;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/** Making the topics of the echo: the request topic (one partition: one order) and each client's reply topic. */
final class KafkaTopics {

    private KafkaTopics() {
    }

    /**
     * Creates {@code topic} with one partition, as many replicas as the cluster has brokers (at most 3); nothing when
     * it exists. A CreateTopics request goes to the active controller, which writes the topic into the metadata log;
     * each broker then makes the partition's directory ({@code <log.dirs>/<topic>-0/}).
     */
    static void create(Admin admin, KafkaEndpoint endpoint, String topic, Duration timeout) throws IOException {
        try {
            int brokers = admin.describeCluster().nodes().get(timeout.toMillis(), TimeUnit.MILLISECONDS).size();
            short replicas = (short) Math.max(1, Math.min(3, brokers));
            createTopic(admin, new NewTopic(topic, 1, replicas)
                    .configs(Map.of("min.insync.replicas", String.valueOf(Math.min(2, replicas)))), endpoint, timeout);
        } catch (TimeoutException e) {
            throw noBroker(endpoint, timeout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw noBroker(endpoint, timeout);
            }
            throw new IOException("kafka: cannot reach the cluster at " + endpoint.bootstrap() + ": " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while asking " + endpoint.bootstrap() + " for its brokers");
        }
    }

    /** A reply topic: read by one client only, so one replica; deleted when the client closes. */
    static void createReplyTopic(Admin admin, KafkaEndpoint endpoint, String topic, Duration timeout) throws IOException {
        createTopic(admin, new NewTopic(topic, 1, (short) 1), endpoint, timeout);
    }

    private static void createTopic(Admin admin, NewTopic topic, KafkaEndpoint endpoint, Duration timeout)
            throws IOException {
        try {
            admin.createTopics(List.of(topic)).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw noBroker(endpoint, timeout);
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IOException("kafka: cannot create topic " + topic.name() + " on " + endpoint.bootstrap()
                        + ": " + e.getCause().getMessage());
            }
        } catch (TimeoutException e) {
            throw noBroker(endpoint, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating topic " + topic.name());
        }
    }

    static IOException noBroker(KafkaEndpoint endpoint, Duration timeout) {
        return new org.ipclab.core.NoPeerException("no Kafka broker answered at " + endpoint.bootstrap() + " within "
                + timeout.toMillis() + " ms");
    }
}

package org.ipclab.kafka;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.NoPeerException;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.Property;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What Kafka adds to the echo: requests that wait for a server, a server that can die, records anyone can read. */
@Timeout(120)
class KafkaTransportTest {

    private static final ClientSettings CLIENT = ClientSettings.defaults().withTimeout(Duration.ofSeconds(20));

    @TempDir
    Path dir;

    private final KafkaTransport kafka = new KafkaTransport();

    @BeforeAll
    static void startBroker() throws Exception {
        TestBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        TestBroker.stop();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The echo across a killed and restarted echo server (a JVM of its own, SIGKILLed): a request sent while no server
     * runs is answered by the next one, and one already answered and committed is not answered again.
     */
    @Test
    void aRequestSentWhileTheServerIsDeadIsAnsweredAfterItsRestartAndNothingTwice() throws Exception {
        String endpoint = kafka.scratchEndpoint(dir);
        KafkaEndpoint parsed = KafkaEndpoint.parse(endpoint);
        ForkedPeer first = ForkedPeer.start(kafka, endpoint);
        try (EchoClient client = kafka.connect(endpoint, CLIENT)) {
            byte[] back = new byte[5];
            client.roundTrip(bytes("first"), back, 5);
            assertArrayEquals(bytes("first"), back);
            awaitCommitted(parsed, 1);
            first.child().process().destroyForcibly();   // SIGKILL: no shutdown hook, no goodbye to the broker
            assertTrue(first.child().process().waitFor(10, TimeUnit.SECONDS));
            first.close();

            client.send(bytes("while-dead"), 0, 10);   // acknowledged by the broker, read by nobody yet
            try (ForkedPeer second = ForkedPeer.start(kafka, endpoint)) {
                byte[] late = new byte[10];
                client.receive(late, 0, late.length);
                assertArrayEquals(bytes("while-dead"), late);
                client.roundTrip(bytes("third"), back, 5);
                assertArrayEquals(bytes("third"), back);
                assertEquals(0, ((KafkaEchoClient) client).duplicatesDropped(),
                        "the committed request was answered again");
            }
        } finally {
            first.close();
        }
    }

    /** Done means: Kafka's own client library sees the topics, and the records an echo left in them. */
    @Test
    void kafkasOwnClientsSeeTheTopicsAndTheRecordsAnEchoLeft() throws Exception {
        String endpoint = kafka.scratchEndpoint(dir);
        KafkaEndpoint parsed = KafkaEndpoint.parse(endpoint);
        String replyTopic;
        try (var server = kafka.serve(endpoint, org.ipclab.core.ServerSettings.defaults());
             EchoClient client = kafka.connect(endpoint, CLIENT)) {
            replyTopic = ((KafkaEchoClient) client).replyTopic();
            byte[] back = new byte[12];
            client.roundTrip(bytes("hello, kafka"), back, back.length);
            try (Admin admin = KafkaNodes.admin(parsed.bootstrap(), Duration.ofSeconds(10))) {
                var topics = admin.listTopics().names().get(10, TimeUnit.SECONDS);
                assertTrue(topics.contains(parsed.topic()) && topics.contains(replyTopic), topics.toString());
            }
        }
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(
                KafkaWire.consumer(parsed.bootstrap(), null, Duration.ofSeconds(10)))) {
            consumer.assign(List.of(new TopicPartition(parsed.topic(), 0)));
            List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (got.isEmpty() && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            assertEquals(1, got.size());
            assertArrayEquals(bytes("hello, kafka"), got.get(0).value());
            assertEquals(replyTopic, KafkaWire.text(got.get(0).headers(), KafkaWire.REPLY_TO));
        }
        try (Admin admin = KafkaNodes.admin(parsed.bootstrap(), Duration.ofSeconds(10))) {
            assertTrue(!admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(replyTopic),
                    "the client deletes its reply topic when it closes");
        }
    }

    @Test
    void aMalformedBootstrapIsRefusedWithOneLine() {
        for (String bad : List.of("localhost", "127.0.0.1:notaport", "127.0.0.1:99999", ":9092", "127.0.0.1:9092/bad topic")) {
            IOException e = assertThrows(IOException.class, () -> kafka.connect(bad, CLIENT), bad);
            assertTrue(e.getMessage().startsWith("kafka endpoint '" + bad + "'") && !e.getMessage().contains("\n"),
                    e.getMessage());
        }
    }

    @Test
    void noBrokerIsAClearFailureWithinTheTimeout() throws Exception {
        int port;
        try (var s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();   // closed at once: nothing listens there
        }
        long start = System.nanoTime();
        NoPeerException e = assertThrows(NoPeerException.class,
                () -> kafka.connect("127.0.0.1:" + port, CLIENT.withTimeout(Duration.ofSeconds(2))));
        long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(ms < 6_000, "took " + ms + " ms");
        assertTrue(e.getMessage().contains("no Kafka broker answered at 127.0.0.1:" + port), e.getMessage());
    }

    @Test
    void everyPropertyIsObserved() throws Exception {
        KafkaExperiments experiments = new KafkaExperiments();
        for (Property property : Property.values()) {
            Cell cell = experiments.run(property, dir);
            assertTrue(cell.observed() && !cell.value().isBlank() && !cell.evidence().isBlank(), property + ": " + cell);
        }
        assertEquals("kept: one record per send", experiments.messageBoundaries(dir).value());
        assertTrue(experiments.manyClients(dir).evidence().contains("4 of 4"));
    }

    /** Waits until the echo server's group has committed {@code offset} on the request topic. */
    private static void awaitCommitted(KafkaEndpoint endpoint, long offset) throws Exception {
        try (Admin admin = KafkaNodes.admin(endpoint.bootstrap(), Duration.ofSeconds(10))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                var offsets = admin.listConsumerGroupOffsets(KafkaEchoServer.group(endpoint.topic()))
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                var committed = offsets.get(new TopicPartition(endpoint.topic(), 0));
                if (committed != null && committed.offset() >= offset) {
                    return;
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the echo server did not commit offset " + offset);
        }
    }
}

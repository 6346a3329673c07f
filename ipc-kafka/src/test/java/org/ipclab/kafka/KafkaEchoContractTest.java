package org.ipclab.kafka;

import java.nio.file.Path;

import org.ipclab.core.EchoPeer;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.testkit.EchoContractTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The echo contract through a Kafka broker (one node, its own JVM, started once for this class). Each test has its
 * own request topic; the echo server runs in this JVM (a server JVM per test would add seconds each and prove
 * nothing more: the broker is what stands between client and server). {@link KafkaTransportTest} kills a server
 * in a JVM of its own.
 */
class KafkaEchoContractTest extends EchoContractTest {

    @BeforeAll
    static void startBroker() throws Exception {
        TestBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        TestBroker.stop();
    }

    @Override
    protected EchoPeer startPeer(Path tempDir) throws Exception {
        KafkaTransport kafka = new KafkaTransport();
        return EchoPeer.inProcess(kafka, kafka.scratchEndpoint(tempDir), ServerSettings.defaults());
    }
}

package org.ipclab.kafka;

import java.io.IOException;

/**
 * One Kafka node for a test class: started in a JVM of its own before the class's first test, stopped (data deleted)
 * after its last; {@link KafkaTransport#BOOTSTRAP_PROPERTY} names it meanwhile.
 */
final class TestBroker {

    private static KafkaNodes nodes;

    private TestBroker() {
    }

    static synchronized String start() throws IOException {
        nodes = KafkaNodes.start(KafkaNodes.Options.oneNode());
        System.setProperty(KafkaTransport.BOOTSTRAP_PROPERTY, nodes.bootstrap());
        return nodes.bootstrap();
    }

    static synchronized KafkaNodes nodes() {
        return nodes;
    }

    static synchronized void stop() throws IOException {
        System.clearProperty(KafkaTransport.BOOTSTRAP_PROPERTY);
        if (nodes != null) {
            nodes.close();
            nodes = null;
        }
    }
}

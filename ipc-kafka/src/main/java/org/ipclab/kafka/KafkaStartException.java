package org.ipclab.kafka;

/** Kafka could not be started here: one line that says why (a port in use, no broker jars, a node that died). */
public final class KafkaStartException extends java.io.IOException {
    public KafkaStartException(String message) {
        super(message);
    }
}

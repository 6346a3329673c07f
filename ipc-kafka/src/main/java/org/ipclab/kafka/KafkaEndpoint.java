package org.ipclab.kafka;

import java.util.ArrayList;
import java.util.List;

import org.ipclab.core.HostPort;

/**
 * A kafka endpoint: the cluster's bootstrap servers and the request topic, {@code 127.0.0.1:9092/ipclab-echo}
 * (the topic may be left out: {@value #DEFAULT_TOPIC}). The bootstrap servers are only where a client first asks
 * for the cluster's metadata; it then talks to whichever broker leads each partition.
 */
record KafkaEndpoint(String bootstrap, String topic) {

    static final String DEFAULT_TOPIC = "ipclab-echo";
    /** Kafka's rule for topic names (and the 249 characters it allows). */
    private static final java.util.regex.Pattern TOPIC = java.util.regex.Pattern.compile("[a-zA-Z0-9._-]{1,200}");

    /** Parses {@code host:port[,host:port...][/topic]}; IllegalArgumentException saying what is wrong. */
    static KafkaEndpoint parse(String endpoint) {
        String servers = endpoint;
        String topic = DEFAULT_TOPIC;
        int slash = endpoint.indexOf('/');
        if (slash >= 0) {
            servers = endpoint.substring(0, slash);
            topic = endpoint.substring(slash + 1);
            if (!TOPIC.matcher(topic).matches()) {
                throw new IllegalArgumentException("topic '" + topic + "' is not a Kafka topic name (letters, digits, . _ -)");
            }
        }
        List<String> checked = new ArrayList<>();
        for (String server : servers.split(",", -1)) {
            String s = server.trim();
            var address = HostPort.parse(s);
            if (address.getHostString().isEmpty()) {
                throw new IllegalArgumentException("'" + s + "' has no host");
            }
            if (address.getPort() == 0) {
                throw new IllegalArgumentException("port 0 in '" + s + "': a broker listens on a real port (1-65535)");
            }
            checked.add(s);
        }
        return new KafkaEndpoint(String.join(",", checked), topic);
    }

    @Override
    public String toString() {
        return bootstrap + "/" + topic;
    }
}

package org.ipclab.kafka;

import static org.ipclab.core.TransportDescriptor.Step.answer;
import static org.ipclab.core.TransportDescriptor.Step.call;
import static org.ipclab.core.TransportDescriptor.Step.loop;
import static org.ipclab.core.TransportDescriptor.Step.note;

import java.util.List;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Kind;
import org.ipclab.core.TransportDescriptor.Limits;
import org.ipclab.core.TransportDescriptor.Participant;
import org.ipclab.core.TransportDescriptor.Reach;
import org.ipclab.core.TransportDescriptor.RoundTrip;
import org.ipclab.core.TransportDescriptor.SetupVariant;

/** How {@code kafka} presents itself to the command line, the comparison and the report. */
final class KafkaDescriptor {

    /**
     * Two TCP round trips to the broker and two log appends per echo: the request goes client → broker → server, the
     * echo server → broker → client, and each hop is a Produce or a Fetch request on a TCP connection.
     */
    private static final RoundTrip ROUND_TRIP = new RoundTrip(
            List.of(new Participant("C", "client (producer + consumer)"), new Participant("B", "Kafka broker (its own JVM)"),
                    new Participant("S", "echo server (consumer + producer)")),
            List.of(call("C", "B", "CreateTopics ipclab-reply-…: the controller writes it to the metadata log"),
                    call("S", "B", "Fetch request-topic from the committed offset (held until a record comes)"),
                    call("C", "B", "Fetch reply topic from offset 0 (held until a record comes)"),
                    loop("every message, in records of at most 512 KiB",
                            call("C", "B", "Produce(request topic, value, headers reply-to + seq) over TCP"),
                            note("B", "B", "append to the partition's log file (write(2)); acknowledge (acks=all)"),
                            answer("B", "S", "the held Fetch returns the record (sendfile(2) from the log)"),
                            call("S", "B", "Produce(reply topic, the same value, seq)"),
                            answer("B", "S", "acknowledged: then OffsetCommit(request topic, next offset)"),
                            answer("B", "C", "the client's held Fetch returns the echo")),
                    call("C", "B", "DeleteTopics ipclab-reply-…; close the TCP connections")));

    static final Limits LIMITS = new Limits(0, "", "");

    static final TransportDescriptor INSTANCE = new TransportDescriptor("kafka",
            "Apache Kafka (KRaft broker in its own JVM, reached over TCP): the client appends to a request topic, the echo"
                    + " server answers on the client's reply topic; records persist in the broker's log",
            Kind.LOG, Reach.ANY_HOST, 80, "#332288", "Kafka's", "")
            .withName("Kafka", "message broker")
            .withRoundTrip(ROUND_TRIP)
            .withSetup(SetupVariant.of("new client: reply topic, producer, consumer, first echo"))
            .withLimits(LIMITS);

    private KafkaDescriptor() {
    }
}

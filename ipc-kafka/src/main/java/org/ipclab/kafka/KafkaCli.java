package org.ipclab.kafka;

import static org.ipclab.core.cli.CliOption.Type.TEXT;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;

import org.ipclab.core.cli.BadInput;
import org.ipclab.core.cli.ClientCli;
import org.ipclab.core.cli.ClientStart;
import org.ipclab.core.cli.CliOption;
import org.ipclab.core.cli.CliValues;
import org.ipclab.core.cli.ServerCli;
import org.ipclab.core.cli.ServerStart;
import org.ipclab.core.cli.TransportCli;

/** {@code ipc-lab server kafka} and {@code ipc-lab client kafka}: the echo through a Kafka broker. */
final class KafkaCli implements TransportCli {

    private static final String BOOTSTRAP = "--bootstrap";
    private static final String TOPIC = "--topic";
    private static final String DEFAULT_BOOTSTRAP = "127.0.0.1:" + KafkaNodes.DEFAULT_PORT;

    @Override
    public ServerCli server() {
        return new Server();
    }

    @Override
    public ClientCli client() {
        return new Client();
    }

    private static List<CliOption> options() {
        return List.of(
                CliOption.of(BOOTSTRAP, "HOST:PORT[,...]", TEXT, DEFAULT_BOOTSTRAP,
                        "The Kafka cluster's bootstrap servers (default: ${DEFAULT-VALUE}; start one with "
                                + LAUNCHER + " broker kafka)."),
                CliOption.of(TOPIC, "NAME", TEXT, KafkaEndpoint.DEFAULT_TOPIC,
                        "The request topic (default: ${DEFAULT-VALUE})."));
    }

    private static String endpoint(CliValues values) {
        try {
            return KafkaEndpoint.parse(values.text(BOOTSTRAP) + "/" + values.text(TOPIC)).toString();
        } catch (IllegalArgumentException e) {
            throw new BadInput("--bootstrap " + values.text(BOOTSTRAP) + " --topic " + values.text(TOPIC) + ": "
                    + e.getMessage() + "; use e.g. --bootstrap 127.0.0.1:9092");
        }
    }

    private static final class Server implements ServerCli {
        @Override
        public List<String> description() {
            return List.of("Kafka echo server: reads the request topic (one partition) from where the last server"
                            + " committed, appends each record's value to the reply topic its headers name, and commits"
                            + " only after the broker acknowledged the echoes: a request sent while no server runs is"
                            + " answered when one starts, and one already answered is not answered again.",
                    "See it: the broker's data directory (printed by `" + LAUNCHER + " broker kafka`) holds one"
                            + " directory per partition, e.g. ipclab-echo-0/00000000000000000000.log.");
        }

        @Override
        public List<CliOption> options() {
            return KafkaCli.options();
        }

        /** The server holds no connections of its own clients: they talk to the broker. */
        @Override
        public boolean holdsConnections() {
            return false;
        }

        @Override
        public ServerStart start(CliValues values) {
            return ServerStart.at(endpoint(values), server -> "ipc-lab kafka echo server on " + server.endpoint()
                    + " (" + ((KafkaEchoServer) server).describe() + ")");
        }

        @Override
        public String explainFailure(String message, CliValues values) {
            return message == null ? "cannot start the kafka echo server at " + values.text(BOOTSTRAP) : message;
        }
    }

    private static final class Client implements ClientCli {
        @Override
        public List<String> description() {
            return List.of("Kafka echo client: makes a reply topic of its own, sends each message as records of at"
                    + " most 512 KiB (the broker's message.max.bytes is 1 MiB) to the request topic with an idempotent"
                    + " producer (acks=all), reads the echoes from its reply topic and deletes the topic when done."
                    + " No broker within --timeout: it says so and exits.");
        }

        @Override
        public List<CliOption> options() {
            return KafkaCli.options();
        }

        @Override
        public ClientStart start(CliValues values, Duration timeout, PrintStream out) {
            // the client fails at once only when no broker answers; with no echo server its requests wait (--timeout)
            return ClientStart.at(endpoint(values), LAUNCHER + " broker kafka");
        }
    }
}

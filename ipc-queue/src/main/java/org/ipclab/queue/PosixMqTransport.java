package org.ipclab.queue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.cli.TransportCli;
import org.ipclab.core.experiments.TransportExperiments;
import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;

/**
 * POSIX message queues (mq_overview(7)), reached by a server name: {@code echo} means the request queue
 * {@code /ipclab-echo-req}. Each client brings its own response queue; messages larger than a queue's
 * message size (8192 bytes by default) are split and put back together, so the echo contract holds for any
 * size. See {@link PosixMqEchoServer} and {@link PosixMqEchoClient}; the wire format is in {@link MqFrame}.
 */
public final class PosixMqTransport implements EchoTransport {

    public static final String DEFAULT_NAME = MqNames.DEFAULT_SERVER_NAME;

    /** Server and client option: how many messages a queue holds (mq_maxmsg), at most fs.mqueue.msg_max. */
    public static final String OPTION_MAX_MESSAGES = "max-messages";

    /** Server option: the request queue's message size (mq_msgsize), at most fs.mqueue.msgsize_max. */
    public static final String OPTION_MESSAGE_SIZE = "message-size";

    private static final AtomicInteger SCRATCH = new AtomicInteger();

    /**
     * Checks a server name: 1 to 64 letters, digits, '.', '_' or '-' (it becomes part of the queue names).
     *
     * @throws IllegalArgumentException saying what a valid name is
     */
    public static String checkServerName(String name) {
        return MqNames.checkServerName(name);
    }

    /** The queue a server named {@code name} receives on: {@code /ipclab-NAME-req}. */
    public static String requestQueueName(String name) {
        return MqNames.requestQueue(checkServerName(name));
    }

    @Override
    public TransportDescriptor descriptor() {
        return PosixMqDescriptor.INSTANCE;
    }

    @Override
    public TransportCli cli() {
        return new PosixMqCli();
    }

    @Override
    public TransportExperiments experiments() {
        return new PosixMqExperiments();
    }


    @Override
    public Optional<String> unavailableReason() {
        return MqNative.unavailableReason();
    }

    /** A server name no other test or run uses: this JVM's pid and a counter. */
    @Override
    public String scratchEndpoint(Path scratchDir) {
        return "scratch-" + ProcessHandle.current().pid() + "-" + SCRATCH.getAndIncrement();
    }

    @Override
    public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
        checkAvailable();
        return PosixMqEchoServer.open(endpoint, settings);
    }

    @Override
    public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
        checkAvailable();
        String depth = settings.option(OPTION_MAX_MESSAGES, "0");
        int maxMessages;
        try {
            maxMessages = Integer.parseInt(depth.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(OPTION_MAX_MESSAGES + " '" + depth + "' is not a whole number");
        }
        return PosixMqEchoClient.connect(endpoint, settings.timeout(), maxMessages);
    }

    private void checkAvailable() throws IOException {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IOException("posix-mq is not available here: " + reason.get());
        }
    }
}

package org.ipclab.queue;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.util.function.Consumer;

import org.ipclab.core.NoPeerException;
import org.ipclab.core.ServerSettings;

/**
 * Creates a server's request queue, {@code /ipclab-NAME-req}, with the shape its options ask for.
 *
 * <p>Queues do not vanish with their process. A queue left by a server that was killed (SIGKILL, a crash, a
 * power cut) is found here, checked for a live server by a HELLO, and removed if nobody answers.
 */
final class MqRequestQueue {

    /** How long a starting server waits for an answer from the server that may own an existing queue. */
    static final Duration STALE_PROBE_TIMEOUT = Duration.ofMillis(1000);

    private MqRequestQueue() {
    }

    /**
     * The request queue of the server {@code name}, new and empty.
     *
     * <p>Options: {@code max-messages} (the queue's depth) and {@code message-size} (its message size), both
     * capped by fs.mqueue.msg_max and msgsize_max.
     */
    static MqQueue create(String name, ServerSettings settings, MqLimits limits) throws IOException {
        int maxMessages = intOption(settings, PosixMqTransport.OPTION_MAX_MESSAGES, limits.defaultMaxMessages(), 1);
        int messageBytes = intOption(settings, PosixMqTransport.OPTION_MESSAGE_SIZE, limits.defaultMessageBytes(),
                PosixMqEchoServer.MIN_MESSAGE_BYTES);
        String requestName = MqNames.requestQueue(name);
        try {
            // O_RDWR: the loop receives; close() sends an empty message to wake it
            return MqQueue.create(requestName, MqNative.O_RDWR, maxMessages, messageBytes);
        } catch (FileAlreadyExistsException exists) {
            removeIfStale(name, requestName, settings.log());
            try {
                return MqQueue.create(requestName, MqNative.O_RDWR, maxMessages, messageBytes);
            } catch (FileAlreadyExistsException again) {
                throw new IOException("queue " + requestName + " was created again while this server started:"
                        + " another server is starting with --name " + name + "; choose another --name");
            }
        }
    }

    private static int intOption(ServerSettings settings, String option, int fallback, int min) {
        String text = settings.option(option, null);
        if (text == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(text.trim());
            if (value >= min) {
                return value;
            }
        } catch (NumberFormatException ignored) {
            // reported below, with the accepted range
        }
        throw new IllegalArgumentException(option + " '" + text + "' is not a whole number of at least " + min);
    }

    /**
     * A queue with our name exists. If a server answers a HELLO on it, it is in use: refuse to start. If nobody
     * answers, a server died without removing it: remove it, saying so.
     */
    private static void removeIfStale(String name, String requestName, Consumer<String> log) throws IOException {
        long waiting = -1;
        try (MqQueue old = MqQueue.open(requestName, MqNative.O_RDONLY)) {
            waiting = old.attributes().currentMessages();
        } catch (IOException ignored) {
            // the probe below reports what is wrong with the queue, if anything
        }
        try (PosixMqEchoClient probe = PosixMqEchoClient.connect(name, STALE_PROBE_TIMEOUT, 1)) {
            throw new IOException("another posix-mq server (pid " + probe.serverPid() + ") is already serving '"
                    + name + "' on " + requestName + "; stop it or choose another --name");
        } catch (NoPeerException stale) {
            if (MqQueue.unlink(requestName)) {
                log.accept("Removed stale queue " + requestName + ": no server answered within "
                        + STALE_PROBE_TIMEOUT.toMillis() + " ms (a server that is killed leaves its queue behind)"
                        + (waiting >= 0 ? "; " + waiting + " unread message" + (waiting == 1 ? " was" : "s were") + " dropped" : ""));
            }
        }
    }
}

package org.ipclab.sysv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.cli.TransportCli;
import org.ipclab.core.experiments.TransportExperiments;

/**
 * System V message queues (sysvipc(7), msgget(2)), reached by a server name that becomes the queue's key
 * ({@link SysvMqProtocol#key}). One queue per server carries every client's requests and replies, told apart by
 * message type. See {@link SysvMqEchoServer} and {@link SysvMqEchoClient}.
 */
public final class SysvMqTransport implements EchoTransport {

    private static final AtomicInteger SCRATCH = new AtomicInteger();

    @Override
    public TransportDescriptor descriptor() {
        return SysvMqDescriptor.INSTANCE;
    }

    @Override
    public TransportCli cli() {
        return new SysvMqCli();
    }

    @Override
    public TransportExperiments experiments() {
        return new SysvMqExperiments();
    }

    @Override
    public Optional<String> unavailableReason() {
        return SysvNative.unavailableReason();
    }

    /** A server name no other test or run uses: this JVM's pid and a counter. */
    @Override
    public String scratchEndpoint(Path scratchDir) {
        return scratchName(ProcessHandle.current().pid());
    }

    static String scratchName(long pid) {
        return "scratch-" + pid + "-" + SCRATCH.getAndIncrement();
    }

    @Override
    public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
        checkAvailable();
        return SysvMqEchoServer.open(endpoint, settings);
    }

    @Override
    public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
        checkAvailable();
        return SysvMqEchoClient.connect(SysvMqProtocol.checkName(endpoint), settings.timeout());
    }

    private void checkAvailable() throws IOException {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IOException("sysv-mq is not available here: " + reason.get());
        }
    }
}

package org.ipclab.shm;

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
 * POSIX shared memory: a segment {@code /dev/shm/ipclab-NAME} that server and clients map, a slot table the server
 * manages, and one single-producer single-consumer ring per direction per client. A waiting side sleeps in the
 * kernel on a futex word inside the segment ({@code wait=futex}, the default) or busy-polls it ({@code wait=spin}).
 * See {@link ShmSegment}, {@link ShmRing}, {@link ShmEchoServer}.
 */
public class ShmTransport implements EchoTransport {

    /** Server and client option: how a waiting side waits, {@code futex} or {@code spin}. */
    public static final String OPTION_WAIT = "wait";

    public static final String DEFAULT_NAME = ShmSegment.DEFAULT_NAME;

    private static final AtomicInteger SCRATCH = new AtomicInteger();

    private final TransportDescriptor descriptor;
    private final ShmRing.Wait defaultWait;

    /** {@code shm}: waiting sides sleep on a futex unless told {@code wait=spin}. */
    public ShmTransport() {
        this(ShmDescriptor.INSTANCE, ShmRing.Wait.FUTEX);
    }

    ShmTransport(TransportDescriptor descriptor, ShmRing.Wait defaultWait) {
        this.descriptor = descriptor;
        this.defaultWait = defaultWait;
    }

    /**
     * Checks a segment name: 1 to 64 letters, digits, '.', '_' or '-'.
     *
     * @throws IllegalArgumentException saying what a valid name is
     */
    public static String checkName(String name) {
        return ShmSegment.checkName(name);
    }

    /** Where the segment of the server named {@code name} lives: {@code /dev/shm/ipclab-NAME}. */
    public static Path segmentPath(String name) {
        return ShmSegment.pathOf(name);
    }

    @Override
    public TransportDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public TransportCli cli() {
        return new ShmCli(id(), defaultWait);
    }

    @Override
    public TransportExperiments experiments() {
        return new ShmExperiments(id());
    }

    @Override
    public Optional<String> unavailableReason() {
        return ShmSegment.unavailableReason();
    }

    /** A name no other test or run uses: this JVM's pid and a counter. */
    @Override
    public String scratchEndpoint(Path scratchDir) {
        return "scratch-" + ProcessHandle.current().pid() + "-" + SCRATCH.getAndIncrement();
    }

    @Override
    public EchoServer serve(String endpoint, ServerSettings settings) throws IOException {
        checkAvailable();
        return ShmEchoServer.open(endpoint, settings, defaultWait);
    }

    @Override
    public EchoClient connect(String endpoint, ClientSettings settings) throws IOException {
        checkAvailable();
        ShmSegment.checkName(endpoint);
        ShmRing.Wait wait = ShmRing.Wait.parse(settings.option(OPTION_WAIT, defaultWait.id()));
        return ShmEchoClient.connect(endpoint, wait, settings.timeout());
    }

    private void checkAvailable() throws IOException {
        Optional<String> reason = unavailableReason();
        if (reason.isPresent()) {
            throw new IOException(id() + " is not available here: " + reason.get());
        }
    }
}

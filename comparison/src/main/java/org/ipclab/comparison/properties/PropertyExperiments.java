package org.ipclab.comparison.properties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.ipclab.core.TransportIds;
import org.ipclab.report.model.Results.PropertyResult;

/**
 * The property matrix of the lab report (transport × property), every cell measured by a small experiment in this
 * run: how sockets differ from pipes, FIFOs and message queues.
 *
 * <p>Each experiment makes the system calls itself and reports what the kernel did: which call failed with which
 * errno, how many bytes were accepted before a writer would block, what a read returned. Nothing in the matrix is
 * typed in; a cell that could not be demonstrated on this machine says so ({@code observed = false}) and why.
 *
 * <p>Every experiment runs in its own directory under the scratch directory, has a time bound, and closes every
 * descriptor, process and file it made; the whole matrix takes seconds.
 */
public final class PropertyExperiments {

    public static final String DIRECTION = "direction";
    public static final String MESSAGE_BOUNDARIES = "message boundaries";
    public static final String CAPACITY = "capacity before the writer blocks";
    public static final String SENDER_WITH_NO_PEER = "sender with no peer";
    public static final String SURVIVES_CRASH = "survives a crash";
    public static final String WHO_CAN_CONNECT = "who can connect";
    public static final String MANY_CLIENTS = "many clients";

    /** The properties in the order the report shows them. */
    public static final List<String> PROPERTIES = List.of(DIRECTION, MESSAGE_BOUNDARIES, CAPACITY, SENDER_WITH_NO_PEER,
            SURVIVES_CRASH, WHO_CAN_CONNECT, MANY_CLIENTS);

    /** One experiment may take this long before it is abandoned and reported as not demonstrated. */
    public static final Duration EXPERIMENT_TIMEOUT = Duration.ofSeconds(15);

    private PropertyExperiments() {
    }

    /**
     * Runs every property experiment for each transport.
     *
     * @param transportIds ids from {@link TransportIds} (unknown ids are refused)
     * @param scratchDir   a directory for sockets, FIFOs and queues; what the experiments create there is removed
     * @param progress     one line per experiment as it starts, e.g. "fifo: many clients"
     * @return one result per transport and property, transports in the order given, properties as {@link #PROPERTIES}
     */
    public static List<PropertyResult> run(List<String> transportIds, Path scratchDir, Consumer<String> progress)
            throws IOException {
        Map<String, TransportExperiments> experiments = new LinkedHashMap<>();
        for (String id : transportIds) {
            experiments.put(id, experimentsFor(id));
        }
        Files.createDirectories(scratchDir);
        Path root = Files.createTempDirectory(scratchDir, "properties-");
        List<PropertyResult> results = new ArrayList<>();
        try {
            for (TransportExperiments transport : experiments.values()) {
                for (String property : PROPERTIES) {
                    progress.accept(transport.transport() + ": " + property);
                    Path dir = Files.createTempDirectory(root, transport.transport() + "-");
                    Cell cell;
                    try {
                        cell = runBounded(transport, property, dir);
                    } finally {
                        deleteTree(dir);
                    }
                    results.add(new PropertyResult(transport.transport(), property, cell.value(), cell.evidence(),
                            cell.observed()));
                }
            }
        } finally {
            deleteTree(root);
        }
        return results;
    }

    static TransportExperiments experimentsFor(String id) {
        return switch (id) {
            case TransportIds.TCP -> new TcpExperiments();
            case TransportIds.UNIX -> new UnixExperiments();
            case TransportIds.PIPE -> new PipeExperiments();
            case TransportIds.FIFO -> new FifoExperiments();
            case TransportIds.CHRONICLE -> new ChronicleExperiments();
            case TransportIds.POSIX_MQ -> new PosixMqExperiments();
            default -> throw new IllegalArgumentException("unknown transport '" + id + "'; known: "
                    + String.join(", ", TransportIds.ALL));
        };
    }

    /** Runs one experiment on a thread of its own, so a stuck system call cannot stop the whole run. */
    static Cell runBounded(TransportExperiments transport, String property, Path dir) {
        FutureTask<Cell> task = new FutureTask<>(() -> experiment(transport, property, dir));
        Thread thread = new Thread(task, "property " + transport.transport() + ": " + property);
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(EXPERIMENT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            return Cell.notDemonstrated("not measured", "The experiment did not finish within "
                    + EXPERIMENT_TIMEOUT.toSeconds() + " s and was abandoned (is the machine heavily loaded?).");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return Cell.notDemonstrated("not measured", "The experiment failed: " + Libc.describe(cause));
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return Cell.notDemonstrated("not measured", "The run was interrupted.");
        }
    }

    private static Cell experiment(TransportExperiments transport, String property, Path dir) throws Exception {
        return switch (property) {
            case DIRECTION -> transport.direction(dir);
            case MESSAGE_BOUNDARIES -> transport.messageBoundaries(dir);
            case CAPACITY -> transport.capacityBeforeWriterBlocks(dir);
            case SENDER_WITH_NO_PEER -> transport.senderWithNoPeer(dir);
            case SURVIVES_CRASH -> transport.survivesCrash(dir);
            case WHO_CAN_CONNECT -> transport.whoCanConnect(dir);
            case MANY_CLIENTS -> transport.manyClients(dir);
            default -> throw new IllegalArgumentException("unknown property " + property);
        };
    }

    static void deleteTree(Path root) throws IOException {
        org.ipclab.core.FileTrees.delete(root);
    }
}

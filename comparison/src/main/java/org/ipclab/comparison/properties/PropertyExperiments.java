package org.ipclab.comparison.properties;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.ipclab.core.Errnos;
import org.ipclab.core.FileTrees;
import org.ipclab.core.Transports;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.Property;
import org.ipclab.core.experiments.TransportExperiments;
import org.ipclab.report.model.Results.PropertyResult;

/**
 * The property matrix of the lab report (transport × property), every cell measured by a small experiment in this
 * run: how sockets differ from pipes, FIFOs and message queues. The experiments belong to the transports
 * ({@link org.ipclab.core.EchoTransport#experiments()}); this runner only asks each one every {@link Property}.
 *
 * <p>Each experiment makes the system calls itself and reports what the kernel did: which call failed with which
 * errno, how many bytes were accepted before a writer would block, what a read returned. Nothing in the matrix is
 * typed in; a cell that could not be demonstrated on this machine says so ({@code observed = false}) and why, and an
 * experiment that throws or hangs gives its cell "failed: reason" while the rest of the matrix stands.
 *
 * <p>Every experiment runs in its own directory under the scratch directory, has a time bound, and closes every
 * descriptor, process and file it made; the whole matrix takes seconds.
 */
public final class PropertyExperiments {

    /** One experiment may take this long before it is abandoned and reported as failed. */
    public static final Duration EXPERIMENT_TIMEOUT = Duration.ofSeconds(15);

    private PropertyExperiments() {
    }

    /**
     * Runs every property experiment for each transport.
     *
     * @param transportIds ids of registered transports ({@link Transports}); an unknown id is refused before anything
     *                     runs
     * @param scratchDir   a directory for sockets, FIFOs and queues; what the experiments create there is removed
     * @param progress     one line per experiment as it starts, e.g. "fifo: many clients"
     * @return one result per transport and property, transports in the order given, properties in {@link Property}
     *         order
     */
    public static List<PropertyResult> run(List<String> transportIds, Path scratchDir, Consumer<String> progress)
            throws IOException {
        List<TransportExperiments> experiments = new ArrayList<>();
        for (String id : transportIds) {
            experiments.add(Transports.byId(id).experiments());
        }
        return runAll(experiments, EXPERIMENT_TIMEOUT, scratchDir, progress);
    }

    /** {@link #run} for experiments already in hand, each bounded by {@code timeout}. */
    static List<PropertyResult> runAll(List<TransportExperiments> experiments, Duration timeout, Path scratchDir,
                                       Consumer<String> progress) throws IOException {
        Files.createDirectories(scratchDir);
        Path root = Files.createTempDirectory(scratchDir, "properties-");
        List<PropertyResult> results = new ArrayList<>();
        try {
            for (TransportExperiments transport : experiments) {
                for (Property property : Property.values()) {
                    progress.accept(transport.transport() + ": " + property.label());
                    Path dir = Files.createTempDirectory(root, transport.transport() + "-");
                    Cell cell;
                    try {
                        cell = runBounded(transport, property, dir, timeout);
                    } finally {
                        FileTrees.delete(dir);
                    }
                    results.add(new PropertyResult(transport.transport(), property.label(), cell.value(),
                            cell.evidence(), cell.observed()));
                }
            }
        } finally {
            FileTrees.delete(root);
        }
        return results;
    }

    /** Runs one experiment on a thread of its own, so a stuck system call cannot stop the whole run. */
    static Cell runBounded(TransportExperiments transport, Property property, Path dir, Duration timeout) {
        FutureTask<Cell> task = new FutureTask<>(() -> transport.run(property, dir));
        Thread thread = new Thread(task, "property " + transport.transport() + ": " + property.label());
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            return failed("timed out after " + timeout.toSeconds() + " s", "The experiment did not finish within "
                    + timeout.toSeconds() + " s and was abandoned (is the machine heavily loaded?).");
        } catch (ExecutionException e) {
            String reason = Errnos.describe(e.getCause());
            return failed(reason, "The experiment failed: " + reason);
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return failed("interrupted", "The run was interrupted.");
        }
    }

    private static Cell failed(String reason, String evidence) {
        return Cell.notDemonstrated("failed: " + reason, evidence);
    }
}

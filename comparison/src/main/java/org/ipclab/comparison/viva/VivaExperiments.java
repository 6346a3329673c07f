package org.ipclab.comparison.viva;

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

import org.ipclab.core.FileTrees;
import org.ipclab.report.model.VivaAnswer;

/**
 * The viva of the lab report: the questions an examiner asks about socket programming and IPC, each answered by
 * a small experiment of this run (one per file in this package) that makes the system calls in question and builds
 * its answer from what the kernel did. Where ipc-lab has no such mechanism yet (System V queues, shared memory) the
 * answer says so instead of inventing a measurement. The listen() backlog question is answered by the backlog
 * experiment, not here.
 *
 * <p>Each experiment runs on a thread of its own, in a directory of its own, for at most
 * {@link #EXPERIMENT_TIMEOUT}; one that fails or overruns is reported as "failed: reason" and the others still run.
 * Together they take a few seconds.
 */
public final class VivaExperiments {

    /** Each experiment takes well under a second; this bound only stops one that is stuck. */
    public static final Duration EXPERIMENT_TIMEOUT = Duration.ofSeconds(10);

    private VivaExperiments() {
    }

    /** The experiments in the order the report asks the questions. */
    static List<VivaExperiment> all() {
        return List.of(new TcpVersusUdp(), new ClientNeedsNoBind(), new AcceptReturnsNewSocket(), new WhatHtonsDoes(),
                new AddressInUse(), new EndOfStream(), new ShortReads(), new SendVersusSendall(),
                new IterativeVersusConcurrent(), new BlockingVersusNonBlocking(), new WriteToClosedPeer(),
                new PipeCapacity(), new PosixVersusSystemVQueues(), new SharedMemory(), new ChronicleIsALibrary());
    }

    /**
     * Runs every experiment.
     *
     * @param scratch  a directory for the experiments' files (a Chronicle queue, ...); what they create is removed
     * @param progress one line per experiment as it starts, e.g. "viva: tcp-vs-udp"
     * @return one answer per question, in the report's order; a failed experiment's answer says "failed: reason"
     */
    public static List<VivaAnswer> run(Path scratch, Consumer<String> progress) throws IOException {
        return run(all(), scratch, progress, EXPERIMENT_TIMEOUT);
    }

    static List<VivaAnswer> run(List<VivaExperiment> experiments, Path scratch, Consumer<String> progress,
                                Duration timeout) throws IOException {
        Files.createDirectories(scratch);
        Path root = Files.createTempDirectory(scratch, "viva-");
        List<VivaAnswer> answers = new ArrayList<>();
        try {
            for (VivaExperiment experiment : experiments) {
                progress.accept("viva: " + experiment.id());
                Path dir = Files.createTempDirectory(root, experiment.id() + "-");
                try {
                    answers.add(runBounded(experiment, dir, timeout));
                } finally {
                    FileTrees.delete(dir);
                }
            }
        } finally {
            FileTrees.delete(root);
        }
        return answers;
    }

    /**
     * Runs one experiment on a daemon thread and waits at most {@code timeout}; then interrupts it, which makes a
     * blocking call on an NIO channel close the channel and throw (ClosedByInterruptException), and waits a moment
     * for it to close what it opened.
     */
    static VivaAnswer runBounded(VivaExperiment experiment, Path dir, Duration timeout) {
        FutureTask<VivaAnswer> task = new FutureTask<>(() -> experiment.run(dir));
        Thread thread = new Thread(task, "viva " + experiment.id());
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            joinQuietly(thread);
            return VivaAnswer.failed(experiment.id(), experiment.question(),
                    "did not finish within " + timeout.toMillis() + " ms and was stopped (is the machine heavily loaded?)");
        } catch (ExecutionException e) {
            return VivaAnswer.failed(experiment.id(), experiment.question(), Errnos.describe(e.getCause()));
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return VivaAnswer.failed(experiment.id(), experiment.question(), "the run was interrupted");
        }
    }

    private static void joinQuietly(Thread thread) {
        try {
            thread.join(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

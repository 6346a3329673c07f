package org.ipclab.comparison.viva;

import java.nio.file.Path;

import org.ipclab.report.model.VivaAnswer;

/** One viva question and the small experiment that answers it from this run. */
interface VivaExperiment {

    /** A short stable key, e.g. "tcp-vs-udp". */
    String id();

    /** The question as an examiner asks it. */
    String question();

    /**
     * Makes the system calls the question is about and answers from what they did. Runs on a thread of its own
     * that is interrupted after {@link VivaExperiments#EXPERIMENT_TIMEOUT}; it must close everything it opened.
     *
     * @param dir an empty directory of its own, deleted afterwards
     */
    VivaAnswer run(Path dir) throws Exception;
}

package org.ipclab.core.experiments;

/**
 * One cell of the property matrix as an experiment left it: the short answer, what was done and seen, and whether
 * this run demonstrated it.
 */
public record Cell(String value, String evidence, boolean observed) {

    public static Cell measured(String value, String evidence) {
        return new Cell(value, evidence, true);
    }

    /** The experiment could not run here; {@code reason} says why and what it would need. */
    public static Cell notDemonstrated(String value, String reason) {
        return new Cell(value, reason, false);
    }
}

package org.ipclab.report.model;

import java.util.List;

/**
 * The lab's own part of a run, what the lab record's Program, Results (first lines) and Viva sections show.
 *
 * @param programs the lab edition's source files, verbatim as compiled (server first, then client)
 * @param run      the listed server and client run as the lab runs them (null when it did not run)
 * @param viva     the examiner's questions answered by this run's small experiments (empty when they did not run)
 */
public record LabRecord(List<ProgramListing> programs, LabRun run, List<VivaAnswer> viva) {

    public LabRecord {
        programs = programs == null ? List.of() : List.copyOf(programs);
        viva = viva == null ? List.of() : List.copyOf(viva);
    }
}

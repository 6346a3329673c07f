package org.ipclab.comparison.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

import org.ipclab.comparison.viva.VivaExperiments;
import org.ipclab.core.FileTrees;
import org.ipclab.report.model.LabRecord;
import org.ipclab.report.model.LabRun;
import org.ipclab.report.model.ProgramListing;
import org.ipclab.report.model.VivaAnswer;

/**
 * The lab's own part of a run, as {@code compare} and {@code lab} both make it: the program's sources, the
 * program run as the lab runs it, and the viva questions answered by small experiments.
 */
public final class LabRecords {

    private LabRecords() {
    }

    public static LabRecord run(Consumer<String> progress) throws IOException {
        List<ProgramListing> programs = LabPrograms.listings();
        LabRun run = LabRunner.run(progress);
        // a short root of its own: a Unix socket path must fit in 107 bytes
        Path scratch = FileTrees.temporary("v");
        List<VivaAnswer> viva;
        try {
            viva = VivaExperiments.run(scratch, progress);
        } finally {
            FileTrees.delete(scratch);
        }
        return new LabRecord(programs, run, viva);
    }
}

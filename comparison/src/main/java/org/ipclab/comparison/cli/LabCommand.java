package org.ipclab.comparison.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.ipclab.comparison.harness.LabOnlyRunner;
import org.ipclab.report.ReportWriter;
import org.ipclab.report.model.LabRun;
import org.ipclab.report.model.Results;
import org.ipclab.report.model.VivaAnswer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ipc-lab lab}: only the lab's part, without the long comparison — the lab's own echo server and client run
 * as the lab runs them, the viva questions and the property experiments each answered by a small experiment, and
 * the short listen() backlog sweep — written as the same lab record {@code compare} writes, without benchmarks.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Run the lab's own TCP echo server and client (LabServer, LabClient), answer the viva"
                + " questions and both lab questions by small experiments, and write the lab record (REPORT.md)"
                + " without the benchmarks: under a minute.")
public final class LabCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "ipc-lab-lab",
            description = "Directory for the lab record, created if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserError("cannot create " + out + " (" + e.getMessage() + "): choose another --out");
        }
        Results results = LabOnlyRunner.run(line -> System.err.println("ipc-lab: " + line));
        ReportWriter.Written written = ReportWriter.write(results, out);
        LabRun run = results.lab().run();
        long observed = results.lab().viva().stream().filter(VivaAnswer::observed).count();
        System.out.println((run.ok() ? "The lab run worked" : "The lab run failed: " + run.failure())
                + "; " + observed + " of " + results.lab().viva().size()
                + " viva questions answered by experiment (took " + Math.round(results.run().durationS()) + " s).");
        System.out.println("Report: " + written.report().toAbsolutePath());
        System.out.println(written.pagesLine());
        return run.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}

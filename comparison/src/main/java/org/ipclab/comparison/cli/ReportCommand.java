package org.ipclab.comparison.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.ipclab.report.ReportWriter;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ipc-lab report results.json [--out DIR]}: render the lab report again from saved results. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Render REPORT.md and the charts again from a results.json written by ./ipc-lab compare.")
public final class ReportCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RESULTS_JSON", description = "A results.json written by ./ipc-lab compare.")
    Path resultsJson;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: beside the results.json).")
    Path out;

    @Override
    public Integer call() {
        if (!Files.isRegularFile(resultsJson)) {
            throw new UserError("no file " + resultsJson + "; give the results.json that ./ipc-lab compare wrote");
        }
        ReportWriter.Written written;
        try {
            written = ReportWriter.rerender(resultsJson, out);   // the failover entries too: they are in the model
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        System.out.println("Report: " + written.report().toAbsolutePath());
        System.out.println(written.pagesLine());
        return ExitCodes.OK;
    }
}

package org.ipclab.comparison.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;

/** {@code ipc-lab compare}: measure every transport the same way and write the lab report. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = "Measure every transport the same way and write a lab report (REPORT.md, results.json, charts).")
public final class CompareCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("ipc-lab compare: the comparison harness is not built yet; no results were produced.");
        return ExitCodes.FAILED;
    }
}

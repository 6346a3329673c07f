package org.ipclab.comparison.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.ipclab.comparison.harness.CompareRunner;
import org.ipclab.comparison.harness.CompareSettings;
import org.ipclab.core.Transports;
import org.ipclab.report.ReportWriter;
import org.ipclab.report.model.Results;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ipc-lab compare}: measure every transport the same way and write the lab report. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Measure every transport the same way, each echo peer in its own process, and write a lab report:",
            "REPORT.md, results.json, charts/ and JMH's raw results. Default run: at most 10 minutes on 2 cores."})
public final class CompareCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--quick", description = "Fewer sizes, shorter measurements: at most 150 s.")
        boolean quick;

        @Option(names = "--full", description = "Longer measurements in JMH forks, plus unpinned runs: steadier numbers.")
        boolean full;
    }

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "ipc-lab-report",
            description = "Report directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--transports", paramLabel = "LIST", split = ",",
            description = "Only these transports, comma-separated ids (default: all of them, the list ./ipc-lab server --help shows).")
    List<String> transports;

    @Option(names = "--sizes", paramLabel = "LIST", split = ",", converter = SizeConverter.class,
            description = "Round-trip message sizes, e.g. 64,1KiB,64KiB,1MiB (default: those four; --quick: 64 and 64KiB).")
    List<Long> sizes;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,...]",
            description = "Measure kafka on this existing cluster instead of starting a one-node broker for the run.")
    String bootstrap;

    @Option(names = "--no-progress", description = "Print one line per step instead of a progress bar.")
    boolean noProgress;

    @Option(names = "--remote", paramLabel = "HOST[:PORT]",
            description = "Instead: measure tcp and udp against ./ipc-lab agent on another host (port default 7707).")
    String remote;

    @Option(names = "--token-file", paramLabel = "FILE",
            description = "With --remote: a file only you may read (chmod 600) holding the agent's token.")
    Path tokenFile;

    @Override
    public Integer call() throws IOException {
        if (remote != null) {
            prepareOutput(out);
            return org.ipclab.comparison.across.RemoteMeasurement.compare(remote, tokenFile,
                    mode.quick ? "quick" : mode.full ? "full" : "default", out);
        }
        if (tokenFile != null) {
            throw new UserError("--token-file goes with --remote HOST[:PORT]");
        }
        List<String> chosen = transports == null ? Transports.ids() : validTransports(transports);
        CompareSettings settings = mode.quick ? CompareSettings.quick(chosen, out)
                : mode.full ? CompareSettings.full(chosen, out)
                : CompareSettings.standard(chosen, out);
        if (sizes != null) {
            List<Integer> bytes = new ArrayList<>();
            for (long size : sizes) {
                if (size < 1 || size > 64L * 1024 * 1024) {
                    throw new UserError("size " + size + " is out of range; --sizes takes sizes from 1 byte to 64MiB");
                }
                bytes.add((int) size);
            }
            settings = settings.withSizes(bytes);
        }
        if (bootstrap != null) {
            for (String server : bootstrap.split(",", -1)) {
                try {
                    if (org.ipclab.core.HostPort.parse(server.trim()).getPort() == 0) {
                        throw new IllegalArgumentException("port 0 is not a broker's port");
                    }
                } catch (IllegalArgumentException e) {
                    throw new UserError("--bootstrap " + bootstrap + ": " + e.getMessage() + "; use e.g. 127.0.0.1:9092");
                }
            }
            // the kafka transport then uses this cluster for the run and starts no broker of its own
            System.setProperty(org.ipclab.kafka.KafkaTransport.BOOTSTRAP_PROPERTY, bootstrap);
        }
        prepareOutput(out);
        Results.PreviousRun previous = previousRun(out.resolve("results.json"), settings.mode());
        PrintStream err = System.err;
        Results results;
        if (!noProgress && System.console() != null) {
            try (ProgressBar bar = new ProgressBarBuilder().setTaskName("compare").setInitialMax(1000)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .continuousUpdate().setMaxRenderedLength(120).build()) {
                results = CompareRunner.run(settings, new CompareRunner.Progress() {
                    @Override
                    public void step(String label, double done, double total) {
                        bar.stepTo(Math.round(1000 * done / Math.max(total, 1e-9)));
                        bar.setExtraMessage(label);
                    }

                    @Override
                    public void note(String line) {
                        err.println();
                        err.println(line);
                    }
                });
            }
        } else {
            long startNs = System.nanoTime();
            results = CompareRunner.run(settings, new CompareRunner.Progress() {
                @Override
                public void step(String label, double done, double total) {
                    double elapsed = (System.nanoTime() - startNs) / 1e9;
                    err.printf(Locale.ROOT, "[%3.0f%%, %3.0f s elapsed, about %3.0f s left] %s%n",
                            100 * done / Math.max(total, 1e-9), elapsed, Math.max(0, total - done), label);
                }

                @Override
                public void note(String line) {
                    err.println(line);
                }
            });
        }
        if (previous != null) {
            results = results.withPrevious(previous);
        }
        ReportWriter.Written written = ReportWriter.write(results, out);
        System.out.printf(Locale.ROOT, "Report: %s (took %.0f s)%n", written.report().toAbsolutePath(),
                results.run().durationS());
        System.out.println(written.pagesLine());
        System.out.println("Results: " + out.resolve("results.json").toAbsolutePath());
        boolean anyMeasured = results.transports().stream().anyMatch(t -> t.status().equals("measured"));
        return anyMeasured ? ExitCodes.OK : ExitCodes.FAILED;
    }

    private static List<String> validTransports(List<String> requested) {
        List<String> known = Transports.ids();
        for (String id : requested) {
            if (!known.contains(id)) {
                throw new UserError("unknown transport '" + id + "' in --transports: choose from "
                        + String.join(", ", known));
            }
        }
        return List.copyOf(new java.util.LinkedHashSet<>(requested));
    }

    /**
     * The same-CPU medians of the run that last wrote into this directory in the same mode, for the report's
     * steadiness check; null when there is none, or it cannot be read (then this run simply has no previous).
     */
    static Results.PreviousRun previousRun(Path resultsJson, String mode) {
        if (!Files.isRegularFile(resultsJson)) {
            return null;
        }
        try {
            Results before = ReportWriter.read(resultsJson);
            if (before.run() == null || !mode.equals(before.run().mode()) || before.latency() == null) {
                return null;
            }
            return new Results.PreviousRun(before.run().startedAt(), before.run().mode(), before.latency().stream()
                    .filter(l -> l.placement() == Results.Placement.SAME_CPU).toList());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void prepareOutput(Path out) {
        try {
            if (Files.exists(out) && !Files.isDirectory(out)) {
                throw new UserError(out + " exists and is not a directory; choose another --out");
            }
            Files.createDirectories(out);
            if (!Files.isWritable(out)) {
                throw new UserError("cannot write to " + out + "; choose another --out");
            }
        } catch (IOException e) {
            throw new UserError("cannot create " + out + ": " + e.getMessage() + "; choose another --out");
        }
    }
}

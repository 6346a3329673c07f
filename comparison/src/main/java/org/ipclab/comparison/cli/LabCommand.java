package org.ipclab.comparison.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.ipclab.comparison.lab.LabRunner;
import org.ipclab.comparison.viva.VivaExperiments;
import org.ipclab.core.FileTrees;
import org.ipclab.report.model.LabRun;
import org.ipclab.report.model.VivaAnswer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ipc-lab lab}: only the lab's part, without the long comparison — the lab's own echo server and client run
 * as the lab runs them, then the viva questions, each answered by a small experiment of this run. Writes LAB.md.
 */
@Command(name = "lab", mixinStandardHelpOptions = true,
        description = "Run the lab's own TCP echo server and client (LabServer, LabClient) and answer the viva"
                + " questions by small experiments; writes LAB.md (no benchmarks: seconds, not minutes).")
public final class LabCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "ipc-lab-lab",
            description = "Directory for LAB.md, created if missing (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UserError("cannot create " + out + " (" + e.getMessage() + "): choose another --out");
        }
        LabRun run = LabRunner.run(line -> System.err.println("ipc-lab: " + line));
        Path scratch = Files.createTempDirectory("ipc-lab-viva-");
        List<VivaAnswer> viva;
        try {
            viva = VivaExperiments.run(scratch, line -> System.err.println("ipc-lab: viva: " + line));
        } finally {
            FileTrees.delete(scratch);
        }
        Path file = out.resolve("LAB.md");
        Files.writeString(file, markdown(run, viva), StandardCharsets.UTF_8);
        System.out.println((run.ok() ? "The lab run worked" : "The lab run failed: " + run.failure())
                + "; " + viva.stream().filter(VivaAnswer::observed).count() + " of " + viva.size()
                + " viva questions answered by experiment. Written: " + file);
        return run.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static String markdown(LabRun run, List<VivaAnswer> viva) {
        StringBuilder md = new StringBuilder("# The lab run and the viva\n\n## The lab run\n\n");
        md.append("Terminal 1: `").append(words(run.serverCommand())).append("`\n\n```text\n");
        orEmpty(run.serverLines()).forEach(line -> md.append(line).append('\n'));
        md.append("```\n\nTerminal 2: `").append(words(run.clientCommand()))
                .append("`\n\n```text\n");
        orEmpty(run.clientLines()).forEach(line -> md.append(line).append('\n'));
        md.append("```\n\n");
        if (!run.ok()) {
            md.append("The run failed: ").append(run.failure()).append("\n\n");
        }
        md.append("## Viva\n\n");
        int n = 1;
        for (VivaAnswer answer : viva) {
            md.append("**Q").append(n++).append(". ").append(answer.question()).append("**\n\n")
                    .append(answer.answer()).append("\n\n");
        }
        return md.toString();
    }

    private static String words(List<String> command) {
        return command == null ? "(not started)" : String.join(" ", command);
    }

    private static List<String> orEmpty(List<String> lines) {
        return lines == null ? List.of() : lines;
    }
}

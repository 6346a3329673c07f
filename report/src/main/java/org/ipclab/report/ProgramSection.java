package org.ipclab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ipclab.report.model.LabRecord;
import org.ipclab.report.model.ProgramListing;

/**
 * Program: the lab edition's sources exactly as results.json carries them (the text that was compiled and run),
 * and the commands that compile and run them in two terminals.
 */
final class ProgramSection {

    /** Where the sources live when an older results.json carries no listing. */
    static final String SOURCE_DIR = "ipc-socket/src/main/java/org/ipclab/socket/lab/";

    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;");

    private final Markdown md;
    private final LabRecord lab;

    ProgramSection(Measurements m, Markdown md) {
        this.md = md;
        this.lab = m.results.lab();
    }

    void render() {
        md.heading(2, "Program");
        if (lab == null || lab.programs().isEmpty()) {
            md.paragraph("The program listing is not in this results file (it was written before runs recorded the "
                    + "lab's program). The sources live in " + Markdown.code(SOURCE_DIR) + " of the project.");
            return;
        }
        List<ProgramListing> programs = lab.programs();
        for (ProgramListing p : programs) {
            md.paragraph("**" + Markdown.escape(p.file()) + "**" + (p.role() == null || p.role().isBlank() ? ""
                    : " (" + Markdown.escape(p.role()) + ")"));
            md.listing(p.language(), p.text());
        }
        List<String> javaFiles = programs.stream().map(ProgramListing::file)
                .filter(f -> f != null && f.endsWith(".java")).toList();
        if (javaFiles.isEmpty()) {
            return;
        }
        List<String> commands = new ArrayList<>();
        commands.add("javac -d . " + String.join(" ", javaFiles));
        int terminal = 1;
        for (ProgramListing p : programs) {
            if (p.file() != null && p.file().endsWith(".java")) {
                commands.add("# terminal " + terminal++ + (p.role() == null ? "" : ": the " + p.role()));
                commands.add("java " + className(p).orElse(p.file()));
            }
        }
        md.paragraph("Save both files in one folder, compile them once, then start the server in one terminal and "
                + "the client in a second (an optional first argument is the port; stop the server with Ctrl-C):");
        md.fenced("sh", String.join("\n", commands));
    }

    /** The class to run: the file name without ".java", after the package the source declares. */
    static Optional<String> className(ProgramListing p) {
        if (p.file() == null || !p.file().endsWith(".java")) {
            return Optional.empty();
        }
        String simple = p.file().substring(0, p.file().length() - ".java".length());
        Matcher pkg = PACKAGE.matcher(p.text() == null ? "" : p.text());
        return Optional.of(pkg.find() ? pkg.group(1) + "." + simple : simple);
    }
}

package org.ipclab.socket.lab;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Does with a Java source TEXT what a student does with a listing copied out of the report: saves it as
 * {@code <Class>.java} in an empty directory, compiles it with nothing but the JDK (javax.tools, no class path),
 * and runs it with the JDK 11+ source launcher, {@code java <Class>.java args}. The text may come from the source
 * tree or from REPORT.md: whatever does not compile or run standalone fails here.
 */
public final class StandaloneJava {

    /** The oldest JDK the listings promise to work with ("JDK 11+" in their header comments). */
    public static final String RELEASE = "11";

    private static final Pattern PUBLIC_CLASS = Pattern.compile("public\\s+(?:final\\s+)?class\\s+(\\w+)");

    private StandaloneJava() {
    }

    /** The name of the file the text must be saved as: its public class. */
    public static String className(String source) {
        Matcher m = PUBLIC_CLASS.matcher(source);
        if (!m.find()) {
            throw new IllegalArgumentException("no public class in the source text: " + source.lines().limit(5).toList());
        }
        return m.group(1);
    }

    /** Writes the text as {@code <Class>.java} into {@code dir}; returns the file. */
    public static Path save(String source, Path dir) throws IOException {
        Path file = dir.resolve(className(source) + ".java");
        Files.writeString(file, source, StandardCharsets.UTF_8);
        return file;
    }

    /**
     * Compiles the text alone in {@code emptyDir} (classes go there too) with {@code --release 11 -Xlint:all
     * -Werror}: it must need nothing but the JDK and compile without a warning. Throws with the compiler's
     * messages when it does not.
     */
    public static Path compile(String source, Path emptyDir) throws IOException {
        try (var entries = Files.list(emptyDir)) {
            if (entries.findAny().isPresent()) {
                throw new IllegalArgumentException(emptyDir + " is not empty: the source must compile alone");
            }
        }
        Path file = save(source, emptyDir);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler in this runtime (a JRE, not a JDK?)");
        }
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        StringWriter output = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", RELEASE, "-Xlint:all", "-Werror", "-d", emptyDir.toString(),
                    "-classpath", "", "-sourcepath", "");
            Boolean ok = javac.getTask(output, files, diagnostics, options, null, files.getJavaFileObjects(file)).call();
            if (!Boolean.TRUE.equals(ok)) {
                StringBuilder why = new StringBuilder(file.getFileName() + " does not compile standalone:");
                diagnostics.getDiagnostics().forEach(d -> why.append("\n  line ").append(d.getLineNumber()).append(": ")
                        .append(d.getMessage(Locale.ROOT)));
                why.append(output);
                throw new IOException(why.toString());
            }
        }
        return file;
    }

    /** {@code java <Class>.java args...} in {@code dir}, where the text is saved first: the source launcher. */
    public static ChildProgram launch(String source, Path dir, String... args) throws IOException {
        Path file = save(source, dir);
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add(file.getFileName().toString());
        command.addAll(List.of(args));
        return ChildProgram.start(command, dir);
    }
}

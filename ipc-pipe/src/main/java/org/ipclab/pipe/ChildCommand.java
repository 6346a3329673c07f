package org.ipclab.pipe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.core.JvmFlags;

/**
 * The echo child a pipe client starts, from the pipe transport's endpoint string: {@code java} (or empty)
 * for ipc-lab's own {@link EchoChildMain} in a new JVM, anything else a command line such as {@code cat},
 * split into words the way a shell would for simple quoting ({@code sh -c 'exit 3'}), then run directly by
 * execve(2), with no shell in between.
 *
 * @param endpoint the endpoint string it came from
 * @param command  program and arguments, as handed to {@link ProcessBuilder}
 * @param jvmChild whether this is ipc-lab's own JVM echo child
 */
public record ChildCommand(String endpoint, List<String> command, boolean jvmChild) {

    /** The endpoint meaning "ipc-lab's own echo child in a new JVM". */
    public static final String JVM = "java";

    /**
     * Start-up flags for the JVM echo child, chosen for a short time to first echo; the child only copies
     * bytes, so it needs neither the optimizing compiler nor a parallel collector.
     * <ul>
     *   <li>{@code -XX:TieredStopAtLevel=1}: C1 only; C2 compiler threads never start.</li>
     *   <li>{@code -XX:+UseSerialGC}: no GC worker threads to create; the child allocates one buffer.</li>
     *   <li>{@code -Xshare:auto}: map the JDK's class-data-sharing archive (the default, stated here because
     *       it is the largest start-up saving: with {@code -Xshare:off} the JDK classes are parsed anew).</li>
     *   <li>{@code -XX:-UsePerfData}: no hsperfdata file to create in /tmp (jps/jstat will not see the child).</li>
     *   <li>{@code -Xlog:disable -Xlog:all=warning:stderr}: the JVM's own warnings go to stdout by default
     *       ("[warning][pagesize] UseLargePages disabled ..."), which here is the echo channel;
     *       {@code -XX:+DisplayVMOutputToStderr} does the same for other VM output. The pagesize tag is turned
     *       off: on JDK 17 its large-page warning is printed while the heap is reserved and, whenever that tag is
     *       enabled at warning level on any output, a copy still reaches stdout (watch it: {@code java
     *       -XX:+UseLargePages -Xlog:disable -Xlog:all=warning:stderr -cp ... EchoChildMain </dev/null 2>/dev/null}).</li>
     * </ul>
     */
    public static final List<String> JVM_CHILD_FLAGS = List.of(
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xshare:auto",
            "-XX:-UsePerfData",
            "-Xlog:disable",
            "-Xlog:all=warning,pagesize=off:stderr",
            "-XX:+DisplayVMOutputToStderr");

    public ChildCommand {
        command = List.copyOf(command);
    }

    /** Parses an endpoint string; throws {@link IllegalArgumentException} for a malformed command line. */
    public static ChildCommand parse(String endpoint) {
        String trimmed = endpoint == null ? "" : endpoint.trim();
        if (trimmed.isEmpty() || trimmed.equals(JVM)) {
            return new ChildCommand(JVM, JvmFlags.javaCommand(JVM_CHILD_FLAGS, EchoChildMain.class.getName(), List.of()), true);
        }
        return new ChildCommand(trimmed, split(trimmed), false);
    }

    /** "ipc-lab's JVM echo child" or "'cat'", for messages. */
    public String describe() {
        if (jvmChild) {
            return "ipc-lab's JVM echo child";
        }
        return endpoint.contains("'") ? "\"" + endpoint + "\"" : "'" + endpoint + "'";
    }

    /** Checks that the program exists and can be run, so that the error names it and says what to do. */
    public void checkRunnable() throws IOException {
        String program = command.get(0);
        if (program.contains("/")) {
            if (!Files.isExecutable(Path.of(program))) {
                throw new IOException("cannot run the echo child '" + program + "': no such executable file; check --child");
            }
            return;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program)) && !Files.isDirectory(Path.of(dir, program))) {
                return;
            }
        }
        throw new IOException("cannot run the echo child '" + program + "': no such program on PATH; check --child");
    }

    /** Splits a command line into words: blanks separate, '...' and "..." quote, \ escapes one character. */
    static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unbalanced " + quote + " in the child command line '" + line + "'; check --child");
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("the child command line is empty; give a program such as --child cat");
        }
        return words;
    }
}

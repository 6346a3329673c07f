package org.ipclab.comparison.nativefloor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ChildProcess;

/** The machine's C compiler: found on the PATH, run once on the floor's source with a timeout. */
final class CCompiler {

    static final String NO_COMPILER = "no C compiler was found (looked for $CC, gcc and cc on the PATH);"
            + " install one (apt-get install gcc) to see how close each transport comes to the kernel's own cost";

    private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(60);

    private CCompiler() {
    }

    /** $CC if it names an executable, else gcc, else cc, looked up in {@code searchPath}. */
    static Optional<Path> find(String cc, String searchPath) {
        List<String> names = new ArrayList<>();
        if (cc != null && !cc.isBlank() && !cc.trim().contains(" ")) {
            names.add(cc.trim());
        }
        names.add("gcc");
        names.add("cc");
        for (String name : names) {
            Path direct = Path.of(name);
            if (name.contains("/") && Files.isExecutable(direct)) {
                return Optional.of(direct);
            }
            for (String dir : searchPath.split(":")) {
                if (!dir.isEmpty() && !name.contains("/") && Files.isExecutable(Path.of(dir, name))) {
                    return Optional.of(Path.of(dir, name));
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Compiles {@code source} into {@code binary} ({@code -O2 -Wall -pthread ... -lrt -lm}), the compiler's output
     * going to a log in {@code workDir}.
     *
     * @throws IOException when compiling fails (the message holds the compiler's first error lines and the command
     *                     to run by hand) or takes longer than the timeout
     */
    static void compile(Path compiler, FloorSource source, Path binary, Path workDir) throws IOException {
        Path log = workDir.resolve("cc.log");
        List<String> command = List.of(compiler.toString(), "-O2", "-Wall", "-pthread", "-o", binary.toString(),
                source.path().toString(), "-lrt", "-lm");
        int exit;
        try {
            exit = BoundedProcess.run(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()),
                    "the C compiler", COMPILE_TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while compiling " + source.description(), e);
        }
        if (exit != 0 || !Files.isExecutable(binary)) {
            throw new IOException("compiling " + source.description() + " with " + compiler + " failed ("
                    + ChildProcess.describeExitCode(exit) + "): " + BoundedProcess.firstLines(Files.readString(log), 5)
                    + " -- run by hand: " + String.join(" ", command));
        }
        Files.deleteIfExists(log);
    }

    /** The first line of {@code compiler --version}, e.g. "gcc (Debian 12.2.0-14) 12.2.0", or the path. */
    static String version(Path compiler) {
        try {
            Process process = new ProcessBuilder(compiler.toString(), "--version").redirectErrorStream(true).start();
            try (ChildProcess ignored = new ChildProcess(process, "cc --version")) {
                byte[] head = process.getInputStream().readNBytes(200);
                process.waitFor(5, TimeUnit.SECONDS);
                String first = new String(head, StandardCharsets.UTF_8).lines().findFirst().orElse("").strip();
                return first.isEmpty() ? compiler.toString() : first;
            }
        } catch (IOException e) {
            return compiler.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return compiler.toString();
        }
    }
}

package org.ipclab.comparison.nativefloor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.ipclab.comparison.harness.CpuPlacement;
import org.ipclab.core.ChildProcess;
import org.ipclab.core.FileTrees;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.Transports;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results.NativeResult;
import org.ipclab.report.model.Results.Placement;

/**
 * The native floor: ipc-lab's echo written in C ({@code native/ipclab_floor.c}), compiled with the machine's
 * C compiler and run over the same transports, sizes and CPU placements as the Java measurements, so the
 * report can show each Java transport as a multiple of what the kernel alone costs.
 *
 * <p>Each measurement is one run of the compiled program (client plus a forked echo server), bounded by a
 * timeout after which both are killed. The program prints one line per number,
 * {@code <transport> <placement> <size> <metric> <value> <unit>}; {@link #parse(String)} reads them.
 *
 * <p>The C source is a classpath resource next to this class (so the floor works from the jar anywhere);
 * {@code native/ipclab_floor.c} in the repository is a symbolic link to it. A source named by the system
 * property {@value #SOURCE_PROPERTY}, or {@code native/ipclab_floor.c} under the working directory, is
 * used instead when present, so an edited copy is measured without rebuilding the jar.
 *
 * <p>One call does it all: {@link #run(List, List, List, Duration)}. To report progress per transport,
 * compile once and measure in steps:
 * <pre>{@code
 * try (NativeFloor floor = NativeFloor.compile()) {
 *     for (String id : transports) {
 *         rows.addAll(floor.measure(List.of(id), sizes, placements, perMeasurement, streamBytes).rows());
 *     }
 * }
 * }</pre>
 */
public final class NativeFloor implements AutoCloseable {

    /**
     * The transports the C program knows: those whose descriptor names a native mode (the C program takes the mode
     * and prints it back as the first field of each result line).
     */
    public static final List<String> TRANSPORTS = Transports.all().stream()
            .map(EchoTransport::descriptor).filter(TransportDescriptor::hasNativeFloor)
            .map(TransportDescriptor::nativeMode).toList();

    /** The metrics kept in the results (the program prints more: p90, p99.9, max, sample counts). */
    public static final List<String> METRICS = List.of("rtt_p50", "rtt_p99", "stream_mib_s");

    /** Streaming writes are 64 KiB, as in CompareSettings.STREAM_MESSAGE_BYTES. */
    public static final int STREAM_MESSAGE_BYTES = 64 * 1024;

    /** Bytes per streaming operation when none is given (the default mode's). */
    public static final int DEFAULT_STREAM_BYTES = 8 * 1024 * 1024;

    /** A path to a C source to build instead of the bundled one. */
    public static final String SOURCE_PROPERTY = "ipclab.native.source";

    static final String RESOURCE = "ipclab_floor.c";
    static final Path REPOSITORY_SOURCE = Path.of("native", "ipclab_floor.c");

    private static final Duration COMPILE_TIMEOUT = Duration.ofSeconds(60);
    private static final double COMPILE_SECONDS_ESTIMATE = 1.5;
    /** Process start, set-up and report of one measurement, on top of warm-up and measurement time. */
    private static final double PER_RUN_OVERHEAD_SECONDS = 0.1;
    /** How long a run may take beyond its warm-up and measurement before it is killed. */
    private static final Duration RUN_TIMEOUT_SLACK = Duration.ofSeconds(15);
    private static final String NO_COMPILER = "no C compiler was found (looked for $CC, gcc and cc on the PATH);"
            + " install one (apt-get install gcc) to see how close each transport comes to the kernel's own cost";
    /** The C program puts a unix socket path in here: sun_path holds 108 bytes (unix(7)). */
    private static final int MAX_RUN_DIR_CHARS = 80;

    /** What a run produced: the rows for results.json and sentences for the report's notes. */
    public record Outcome(List<NativeResult> rows, List<String> notes) {
        public Outcome {
            rows = List.copyOf(rows);
            notes = List.copyOf(notes);
        }
    }

    private final Path workDir;
    private final Path binary;
    private final String builtFrom;
    private boolean closed;

    private NativeFloor(Path workDir, Path binary, String builtFrom) {
        this.workDir = workDir;
        this.binary = binary;
        this.builtFrom = builtFrom;
    }

    /**
     * Compiles the program (or says why not, in the notes) and measures every combination of the given
     * transports, sizes and placements, plus one streaming run per transport and placement. Transports the
     * program does not know (chronicle) are skipped with a note. Never throws for a failed measurement: it
     * becomes a note and the rest go on.
     */
    public static Outcome run(List<String> transports, List<Integer> sizes, List<Placement> placements,
                              Duration perMeasurement) {
        return run(transports, sizes, placements, perMeasurement, DEFAULT_STREAM_BYTES);
    }

    /** As {@link #run(List, List, List, Duration)}, with {@code streamBytes} per streaming operation (0: no streaming). */
    public static Outcome run(List<String> transports, List<Integer> sizes, List<Placement> placements,
                              Duration perMeasurement, int streamBytes) {
        return run(findCompiler(), transports, sizes, placements, perMeasurement, streamBytes);
    }

    static Outcome run(Optional<Path> compiler, List<String> transports, List<Integer> sizes,
                       List<Placement> placements, Duration perMeasurement, int streamBytes) {
        if (compiler.isEmpty()) {
            return new Outcome(List.of(), List.of("The native (C) floor was not measured: " + NO_COMPILER + "."));
        }
        List<String> notes = new ArrayList<>();
        Optional<NativeFloor> compiled = compileOrNote(compiler.get(), notes);
        if (compiled.isEmpty()) {
            return new Outcome(List.of(), notes);
        }
        try (NativeFloor floor = compiled.get()) {
            Outcome measured = floor.measure(transports, sizes, placements, perMeasurement, streamBytes);
            notes.addAll(measured.notes());
            return new Outcome(measured.rows(), notes);
        } catch (IOException e) {
            notes.add("Could not delete the native floor's build directory: " + e.getMessage());
            return new Outcome(List.of(), notes);
        }
    }

    /**
     * Compiles the program and says in {@code notes} what it was built from, or, when compiling fails, why the
     * floor was not measured (then empty).
     */
    public static Optional<NativeFloor> compileOrNote(Path compiler, List<String> notes) {
        try {
            NativeFloor floor = compile(compiler);
            notes.add("The native floor was built from " + floor.builtFrom() + ".");
            return Optional.of(floor);
        } catch (IOException e) {
            notes.add("The native (C) floor was not measured: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** Why the floor cannot be measured here (no C compiler), or empty when it can. */
    public static Optional<String> unavailableReason() {
        return findCompiler().isEmpty() ? Optional.of(NO_COMPILER) : Optional.empty();
    }

    /** The C compiler to use: $CC if it names an executable, else gcc, else cc, from the PATH. */
    public static Optional<Path> findCompiler() {
        return findCompiler(System.getenv("CC"), System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    static Optional<Path> findCompiler(String cc, String searchPath) {
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

    /** Seconds {@link #run} is expected to take, for the progress bar. */
    public static double estimateSeconds(List<String> transports, List<Integer> sizes, List<Placement> placements,
                                         Duration perMeasurement) {
        long known = transports.stream().filter(TRANSPORTS::contains).count();
        if (known == 0 || findCompiler().isEmpty()) {
            return 0;
        }
        return COMPILE_SECONDS_ESTIMATE + known * placements.size() * (sizes.size() + 1) * secondsPerRun(perMeasurement);
    }

    /** Seconds one run of the program (one size or one stream, one placement) is expected to take. */
    public static double secondsPerRun(Duration perMeasurement) {
        return perMeasurement.toMillis() / 1000.0 * 4 / 3 + PER_RUN_OVERHEAD_SECONDS;
    }

    /**
     * Compiles the C program into a new temporary directory, which {@link #close()} deletes.
     *
     * @throws IOException when there is no compiler, the source cannot be found, or compiling fails (the
     *                     message holds the compiler's first error lines)
     */
    public static NativeFloor compile() throws IOException {
        return compile(findCompiler().orElseThrow(() -> new IOException(NO_COMPILER)));
    }

    static NativeFloor compile(Path compiler) throws IOException {
        Path workDir = Files.createTempDirectory("ipc-lab-native-");
        try {
            Source source = locateSource(workDir);
            Path binary = workDir.resolve("ipclab_floor");
            Path log = workDir.resolve("cc.log");
            List<String> command = List.of(compiler.toString(), "-O2", "-Wall", "-pthread", "-o", binary.toString(),
                    source.path().toString(), "-lrt", "-lm");
            int exit;
            try {
                exit = runBounded(new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()),
                        "the C compiler", COMPILE_TIMEOUT);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while compiling " + source.description(), e);
            }
            if (exit != 0 || !Files.isExecutable(binary)) {
                throw new IOException("compiling " + source.description() + " with " + compiler + " failed ("
                        + ChildProcess.describeExitCode(exit) + "): " + firstLines(Files.readString(log), 5)
                        + " -- run by hand: " + String.join(" ", command));
            }
            Files.deleteIfExists(log);
            return new NativeFloor(workDir, binary, source.description() + " with " + compilerVersion(compiler) + " -O2");
        } catch (IOException | RuntimeException e) {
            deleteTree(workDir);
            throw e;
        }
    }

    /**
     * Measures every combination (round trips for each size, one streaming run) and returns the rows for
     * {@link #METRICS}. A measurement that fails or times out becomes a note; the others go on.
     *
     * @param streamBytes bytes per streaming operation, a multiple of {@link #STREAM_MESSAGE_BYTES}; 0 skips streaming
     */
    public Outcome measure(List<String> transports, List<Integer> sizes, List<Placement> placements,
                           Duration perMeasurement, int streamBytes) {
        if (closed) {
            throw new IllegalStateException("this NativeFloor is closed; compile a new one");
        }
        if (streamBytes < 0 || streamBytes % STREAM_MESSAGE_BYTES != 0) {
            throw new IllegalArgumentException("streamBytes must be a multiple of " + STREAM_MESSAGE_BYTES + ", not " + streamBytes);
        }
        List<NativeResult> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<String> unknown = transports.stream().filter(t -> !TRANSPORTS.contains(t)).toList();
        if (!unknown.isEmpty()) {
            notes.add("No native floor for " + String.join(", ", unknown)
                    + ": the C program covers the kernel's own mechanisms (" + String.join(", ", TRANSPORTS) + ").");
        }
        List<Placement> usable = new ArrayList<>();
        for (Placement placement : placements) {
            if (placement == Placement.DIFFERENT_CPUS && CpuPlacement.onlineCpus() < 2) {
                notes.add("The native floor was not measured on different CPUs: this machine has one CPU.");
            } else {
                usable.add(placement);
            }
        }
        String seconds = secondsArg(perMeasurement);
        String warmup = secondsArg(perMeasurement.dividedBy(3));
        Duration timeout = perMeasurement.plus(perMeasurement.dividedBy(3)).plus(RUN_TIMEOUT_SLACK);
        for (String transport : transports) {
            if (!TRANSPORTS.contains(transport)) {
                continue;
            }
            for (Placement placement : usable) {
                List<List<String>> runs = new ArrayList<>();
                for (int size : sizes) {
                    runs.add(List.of("rtt", transport, placementArg(placement), String.valueOf(size), seconds, warmup));
                }
                if (streamBytes > 0) {
                    runs.add(List.of("stream", transport, placementArg(placement), String.valueOf(STREAM_MESSAGE_BYTES),
                            seconds, warmup, String.valueOf(streamBytes)));
                }
                for (List<String> args : runs) {
                    String what = describe(args, placement);
                    try {
                        for (NativeResult row : parse(execute(args, timeout))) {
                            if (METRICS.contains(row.metric())) {
                                rows.add(row);
                            }
                        }
                    } catch (IOException e) {
                        notes.add("Native floor, " + what + ": " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        notes.add("Native floor: interrupted during " + what + "; the rest was not measured.");
                        return new Outcome(rows, notes);
                    }
                }
            }
        }
        return new Outcome(rows, notes);
    }

    /** Runs the program once and returns its standard output. */
    String execute(List<String> args, Duration timeout) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        Path out = workDir.resolve("out.txt");
        Path err = workDir.resolve("err.txt");
        /* Output goes to files, not pipes: a child writing into a pipe that nobody reads blocks once the
         * pipe's 64 KiB are full, and waitFor would then wait for ever. */
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        if (workDir.toString().length() <= MAX_RUN_DIR_CHARS) {
            builder.environment().put("IPCLAB_FLOOR_DIR", workDir.toString());
        }
        try {
            int exit = runBounded(builder, "ipclab_floor " + String.join(" ", args), timeout);
            if (exit != 0) {
                String why = Files.readString(err).strip();
                throw new IOException((why.isEmpty() ? "ipclab_floor failed without a message" : firstLines(why, 2))
                        + " (" + ChildProcess.describeExitCode(exit) + ")");
            }
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Starts a process and waits for it within {@code timeout}. On timeout the process's children (the echo
     * server) are killed first, then the process itself; both are waited for.
     */
    private static int runBounded(ProcessBuilder builder, String name, Duration timeout)
            throws IOException, InterruptedException {
        Process process = builder.start();
        try (ChildProcess child = new ChildProcess(process, name)) {
            if (process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return process.exitValue();
            }
            killTree(process);
            throw new IOException(name + " did not finish within " + timeout.toSeconds() + " s and was killed");
        } catch (InterruptedException e) {
            killTree(process);
            throw e;
        }
    }

    /**
     * The server first: the client then reads end of stream, reaps it and exits by itself. Killed first,
     * the client would leave its server to init, which may be slow to reap it.
     */
    private static void killTree(Process process) throws InterruptedException {
        List<ProcessHandle> children = process.descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
        if (!process.waitFor(1, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
        for (ProcessHandle child : children) {
            child.onExit().completeOnTimeout(child, 5, TimeUnit.SECONDS).join();
        }
    }

    /**
     * Reads the program's output: one measurement per line, {@code <transport> <placement> <size> <metric>
     * <value> <unit>}, e.g. {@code tcp same 64 rtt_p50 4.420 us}. Blank lines and lines starting with '#'
     * are skipped.
     *
     * @throws IOException naming the first line that is not in that form
     */
    public static List<NativeResult> parse(String output) throws IOException {
        List<NativeResult> rows = new ArrayList<>();
        for (String line : output.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            try {
                if (f.length != 6) {
                    throw new IllegalArgumentException("6 fields expected, found " + f.length);
                }
                if (!TRANSPORTS.contains(f[0])) {
                    throw new IllegalArgumentException("unknown transport " + f[0]);
                }
                double value = Double.parseDouble(f[4]);
                if (!Double.isFinite(value)) {
                    throw new IllegalArgumentException("value is " + f[4]);
                }
                rows.add(new NativeResult(f[0], placementOf(f[1]), Integer.parseInt(f[2]), f[3], Quantity.of(value, f[5])));
            } catch (IllegalArgumentException e) {
                throw new IOException("unexpected line from ipclab_floor: '" + line + "' (" + e.getMessage() + ")", e);
            }
        }
        return rows;
    }

    static String placementArg(Placement placement) {
        return switch (placement) {
            case SAME_CPU -> "same";
            case DIFFERENT_CPUS -> "different";
            case UNPINNED -> "unpinned";
        };
    }

    static Placement placementOf(String arg) {
        for (Placement placement : Placement.values()) {
            if (placementArg(placement).equals(arg)) {
                return placement;
            }
        }
        throw new IllegalArgumentException("unknown placement " + arg);
    }

    private record Source(Path path, String description) {
    }

    /** The system property's file, else native/ipclab_floor.c under the working directory, else the bundled copy. */
    private static Source locateSource(Path workDir) throws IOException {
        String property = System.getProperty(SOURCE_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path path = Path.of(property);
            if (!Files.isRegularFile(path)) {
                throw new IOException(SOURCE_PROPERTY + "=" + property + " is not a file; point it at a copy of native/ipclab_floor.c");
            }
            return new Source(path.toAbsolutePath(), path.toString());
        }
        if (Files.isRegularFile(REPOSITORY_SOURCE)) {
            return new Source(REPOSITORY_SOURCE.toAbsolutePath(), REPOSITORY_SOURCE.toString());
        }
        Path copy = workDir.resolve(RESOURCE);
        try (InputStream in = NativeFloor.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the C source " + RESOURCE + " is missing from this build of ipc-lab; rebuild it (mvn package)");
            }
            Files.copy(in, copy);
        }
        return new Source(copy, "the copy of native/ipclab_floor.c bundled with ipc-lab");
    }

    private static String compilerVersion(Path compiler) {
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

    private static String describe(List<String> args, Placement placement) {
        String size = sizeLabel(Integer.parseInt(args.get(3)));
        return args.get(1) + (args.get(0).equals("rtt") ? " round trip " + size : " streaming " + size + " writes")
                + ", " + placement.label();
    }

    static String sizeLabel(int bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " B";
    }

    private static String secondsArg(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9);
    }

    private static String firstLines(String text, int max) {
        return String.join(" | ", text.strip().lines().limit(max).toList());
    }

    /** Which source and compiler the program was built from, e.g. "native/ipclab_floor.c with gcc (...) 12.2.0 -O2". */
    public String builtFrom() {
        return builtFrom;
    }

    Path workDir() {
        return workDir;
    }

    /** Deletes the temporary directory with the compiled program. Idempotent. */
    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        deleteTree(workDir);
    }

    private static void deleteTree(Path dir) throws IOException {
        FileTrees.delete(dir);
    }
}

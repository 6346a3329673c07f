package org.ipclab.comparison.nativefloor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ipclab.comparison.harness.CpuPlacement;
import org.ipclab.core.ChildProcess;
import org.ipclab.core.FileTrees;
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
 * <p>A transport has a floor when its descriptor names a native mode ({@code TransportDescriptor.nativeMode()}):
 * the mode is what the C program takes on its command line. The pieces: {@link CCompiler} finds and runs the
 * compiler, {@link FloorSource} picks the source, {@link FloorPlan} lays out the runs, {@link BoundedProcess}
 * runs each within a timeout, {@link FloorOutput} reads its lines back.
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
     * The transports the C program measures: those whose descriptor names a native mode, in the registry's order.
     */
    public static final List<String> TRANSPORTS = NativeModes.transportIds();

    /** The metrics kept in the results (the program prints more: p90, p99.9, max, sample counts). */
    public static final List<String> METRICS = List.of("rtt_p50", "rtt_p99", "stream_mib_s");

    /** Streaming writes are 64 KiB, as in CompareSettings.STREAM_MESSAGE_BYTES. */
    public static final int STREAM_MESSAGE_BYTES = 64 * 1024;

    /** Bytes per streaming operation when none is given (the default mode's). */
    public static final int DEFAULT_STREAM_BYTES = 8 * 1024 * 1024;

    /** A path to a C source to build instead of the bundled one. */
    public static final String SOURCE_PROPERTY = "ipclab.native.source";

    static final String RESOURCE = FloorSource.RESOURCE;
    static final Path REPOSITORY_SOURCE = FloorSource.REPOSITORY_SOURCE;

    /** How long a run may take beyond its warm-up and measurement before it is killed. */
    private static final Duration RUN_TIMEOUT_SLACK = Duration.ofSeconds(15);
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
     * transports, sizes and placements, plus one streaming run per transport and placement. Transports whose
     * descriptor names no native mode are skipped with a note. Never throws for a failed measurement: it
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
            return new Outcome(List.of(), List.of("The native (C) floor was not measured: " + CCompiler.NO_COMPILER + "."));
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
        return findCompiler().isEmpty() ? Optional.of(CCompiler.NO_COMPILER) : Optional.empty();
    }

    /** The C compiler to use: $CC if it names an executable, else gcc, else cc, from the PATH. */
    public static Optional<Path> findCompiler() {
        return findCompiler(System.getenv("CC"), System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    }

    static Optional<Path> findCompiler(String cc, String searchPath) {
        return CCompiler.find(cc, searchPath);
    }

    /** Seconds {@link #run} is expected to take, for the progress bar. */
    public static double estimateSeconds(List<String> transports, List<Integer> sizes, List<Placement> placements,
                                         Duration perMeasurement) {
        long known = transports.stream().filter(TRANSPORTS::contains).count();
        if (known == 0 || findCompiler().isEmpty()) {
            return 0;
        }
        return FloorPlan.estimateSeconds(known, sizes, placements, perMeasurement);
    }

    /** Seconds one run of the program (one size or one stream, one placement) is expected to take. */
    public static double secondsPerRun(Duration perMeasurement) {
        return FloorPlan.secondsPerRun(perMeasurement);
    }

    /**
     * Compiles the C program into a new temporary directory, which {@link #close()} deletes.
     *
     * @throws IOException when there is no compiler, the source cannot be found, or compiling fails (the
     *                     message holds the compiler's first error lines)
     */
    public static NativeFloor compile() throws IOException {
        return compile(findCompiler().orElseThrow(() -> new IOException(CCompiler.NO_COMPILER)));
    }

    static NativeFloor compile(Path compiler) throws IOException {
        Path workDir = FileTrees.temporary("ipc-lab-native-");
        try {
            NativeProgram.Compiled compiled = NativeProgram.compile(compiler, FloorSource.RESOURCE, "ipclab_floor", workDir);
            return new NativeFloor(workDir, compiled.binary(), compiled.builtFrom());
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(workDir);
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
        List<String> unknown = transports.stream().filter(t -> NativeModes.modeOf(t).isEmpty()).toList();
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
        Duration timeout = FloorPlan.timeout(perMeasurement, RUN_TIMEOUT_SLACK);
        for (String transport : transports) {
            Optional<String> mode = NativeModes.modeOf(transport);
            if (mode.isEmpty()) {
                continue;
            }
            for (Placement placement : usable) {
                for (FloorPlan.Run run : FloorPlan.runs(transport, mode.get(), placement, sizes, perMeasurement, streamBytes)) {
                    try {
                        for (NativeResult row : parse(execute(run.args(), timeout))) {
                            if (METRICS.contains(row.metric())) {
                                rows.add(row);
                            }
                        }
                    } catch (IOException e) {
                        notes.add("Native floor, " + run.description() + ": " + e.getMessage());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        notes.add("Native floor: interrupted during " + run.description() + "; the rest was not measured.");
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
            int exit = BoundedProcess.run(builder, "ipclab_floor " + String.join(" ", args), timeout);
            if (exit != 0) {
                String why = Files.readString(err).strip();
                throw new IOException((why.isEmpty() ? "ipclab_floor failed without a message" : BoundedProcess.firstLines(why, 2))
                        + " (" + ChildProcess.describeExitCode(exit) + ")");
            }
            return Files.readString(out);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Reads the program's output: one measurement per line, {@code <mode> <placement> <size> <metric>
     * <value> <unit>}, e.g. {@code tcp same 64 rtt_p50 4.420 us}. Blank lines and lines starting with '#'
     * are skipped.
     *
     * @throws IOException naming the first line that is not in that form
     */
    public static List<NativeResult> parse(String output) throws IOException {
        return FloorOutput.parse(output);
    }

    static String placementArg(Placement placement) {
        return FloorOutput.placementArg(placement);
    }

    static Placement placementOf(String arg) {
        return FloorOutput.placementOf(arg);
    }

    static String sizeLabel(int bytes) {
        return FloorPlan.sizeLabel(bytes);
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
        FileTrees.delete(workDir);
    }
}

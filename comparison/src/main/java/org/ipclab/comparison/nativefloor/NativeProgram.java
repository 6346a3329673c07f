package org.ipclab.comparison.nativefloor;

import java.io.IOException;
import java.nio.file.Path;

/** One of the C programs under native/ compiled on this machine: the C echo servers, the across delay line. */
public final class NativeProgram {

    private NativeProgram() {
    }

    /**
     * A compiled program.
     *
     * @param binary    the executable
     * @param builtFrom which source and compiler made it, for the report's method section
     */
    public record Compiled(Path binary, String builtFrom) {
    }

    /**
     * Compiles {@code native/FILE} (or the copy bundled in the jar) into {@code workDir/binaryName}.
     *
     * @throws IOException when there is no compiler or compiling fails (the message says what to do)
     */
    public static Compiled compile(String file, String binaryName, Path workDir) throws IOException {
        return compile(NativeFloor.findCompiler().orElseThrow(() -> new IOException(CCompiler.NO_COMPILER)),
                file, binaryName, workDir);
    }

    static Compiled compile(Path compiler, String file, String binaryName, Path workDir) throws IOException {
        FloorSource source = FloorSource.locate(workDir, file);
        Path binary = workDir.resolve(binaryName);
        CCompiler.compile(compiler, source, binary, workDir);
        return new Compiled(binary, source.description() + " with " + CCompiler.version(compiler) + " -O2");
    }
}

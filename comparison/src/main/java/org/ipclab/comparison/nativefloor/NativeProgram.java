package org.ipclab.comparison.nativefloor;

import java.io.IOException;
import java.nio.file.Path;

/** One of the C programs under native/, compiled for a caller outside this package (the across delay line). */
public final class NativeProgram {

    private NativeProgram() {
    }

    /**
     * Compiles {@code native/FILE} (or the copy bundled in the jar) into {@code workDir/binaryName}.
     *
     * @return the binary
     * @throws IOException when there is no compiler or compiling fails (the message says what to do)
     */
    public static Path compile(String file, String binaryName, Path workDir) throws IOException {
        Path compiler = NativeFloor.findCompiler().orElseThrow(() -> new IOException(CCompiler.NO_COMPILER));
        FloorSource source = FloorSource.locate(workDir, file);
        Path binary = workDir.resolve(binaryName);
        CCompiler.compile(compiler, source, binary, workDir);
        return binary;
    }
}

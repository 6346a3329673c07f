package org.ipclab.comparison.nativefloor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which C source is compiled: the file named by {@value NativeFloor#SOURCE_PROPERTY}, else
 * {@code native/ipclab_floor.c} under the working directory (an edited copy is measured without rebuilding the
 * jar), else the copy bundled in the jar beside {@link NativeFloor}.
 */
record FloorSource(Path path, String description) {

    static final String RESOURCE = "ipclab_floor.c";
    static final Path REPOSITORY_SOURCE = Path.of("native", "ipclab_floor.c");

    /** Finds the source; the bundled copy is written into {@code workDir}. */
    static FloorSource locate(Path workDir) throws IOException {
        String property = System.getProperty(NativeFloor.SOURCE_PROPERTY);
        if (property != null && !property.isBlank()) {
            Path path = Path.of(property);
            if (!Files.isRegularFile(path)) {
                throw new IOException(NativeFloor.SOURCE_PROPERTY + "=" + property
                        + " is not a file; point it at a copy of native/ipclab_floor.c");
            }
            return new FloorSource(path.toAbsolutePath(), path.toString());
        }
        if (Files.isRegularFile(REPOSITORY_SOURCE)) {
            return new FloorSource(REPOSITORY_SOURCE.toAbsolutePath(), REPOSITORY_SOURCE.toString());
        }
        Path copy = workDir.resolve(RESOURCE);
        try (InputStream in = NativeFloor.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the C source " + RESOURCE + " is missing from this build of ipc-lab; rebuild it (mvn package)");
            }
            Files.copy(in, copy);
        }
        return new FloorSource(copy, "the copy of native/ipclab_floor.c bundled with ipc-lab");
    }
}

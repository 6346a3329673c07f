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

    /**
     * Finds one of the C sources by its file name: {@code native/NAME} under the working directory, else the copy in
     * the jar (written into {@code workDir}); {@value NativeFloor#SOURCE_PROPERTY} names the floor's source only.
     */
    static FloorSource locate(Path workDir, String file) throws IOException {
        String property = file.equals(RESOURCE) ? System.getProperty(NativeFloor.SOURCE_PROPERTY) : null;
        if (property != null && !property.isBlank()) {
            Path path = Path.of(property);
            if (!Files.isRegularFile(path)) {
                throw new IOException(NativeFloor.SOURCE_PROPERTY + "=" + property
                        + " is not a file; point it at a copy of native/ipclab_floor.c");
            }
            return new FloorSource(path.toAbsolutePath(), path.toString());
        }
        Path repository = REPOSITORY_SOURCE.resolveSibling(file);
        if (Files.isRegularFile(repository)) {
            return new FloorSource(repository.toAbsolutePath(), repository.toString());
        }
        Path copy = workDir.resolve(file);
        try (InputStream in = NativeFloor.class.getResourceAsStream(file)) {
            if (in == null) {
                throw new IOException("the C source " + file + " is missing from this build of ipc-lab; rebuild it (mvn package)");
            }
            Files.copy(in, copy);
        }
        return new FloorSource(copy, "the copy of native/" + file + " bundled with ipc-lab");
    }
}

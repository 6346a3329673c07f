package org.ipclab.comparison.lab;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.ipclab.report.model.ProgramListing;
import org.ipclab.socket.lab.LabClient;
import org.ipclab.socket.lab.LabServer;

/**
 * The lab edition's two source files, read from the class path where ipc-socket's build puts them beside their
 * classes: what the report lists is byte for byte what was compiled and what {@link LabRunner} runs.
 */
public final class LabPrograms {

    private LabPrograms() {
    }

    /** The server's source, then the client's. */
    public static List<ProgramListing> listings() throws IOException {
        return List.of(listing(LabServer.class, "server"), listing(LabClient.class, "client"));
    }

    private static ProgramListing listing(Class<?> program, String role) throws IOException {
        String file = program.getSimpleName() + ".java";
        try (InputStream in = program.getResourceAsStream(file)) {
            if (in == null) {
                throw new IOException("the source " + file + " is not on the class path beside "
                        + program.getName() + ": rebuild ipc-socket (mvn -B package) so its jar carries it");
            }
            return new ProgramListing(file, "java", role, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}

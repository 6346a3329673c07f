package org.ipclab.queue.chronicle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.abort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Where the queue lives: unwritable directories, one server per directory, temporary directories. */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChronicleDirectoryTest {

    private static final ChronicleTransport CHRONICLE = new ChronicleTransport();

    @TempDir
    Path tempDir;

    @Test
    void anUnwritableDirectoryIsRefusedUpFrontNotOpenedReadOnly() throws Exception {
        Path dir = Files.createDirectory(tempDir.resolve("locked"));
        makeUnwritable(dir);
        try {
            IOException server = assertThrows(IOException.class, () -> CHRONICLE.serve(dir.toString(), ServerSettings.defaults()));
            assertTrue(server.getMessage().contains("cannot write in the queue directory " + dir)
                    && server.getMessage().contains("read-only") && server.getMessage().contains("--dir"), server.getMessage());
            IOException client = assertThrows(IOException.class, () -> CHRONICLE.connect(dir.toString(), ClientSettings.defaults()));
            assertTrue(client.getMessage().contains("cannot write in the queue directory " + dir), client.getMessage());
            try (var files = Files.list(dir)) {
                assertEquals(List.of(), files.toList(), "nothing was created");
            }
        } finally {
            makeWritable(dir);
        }
    }

    @Test
    void aDirectoryThatCannotBeCreatedIsAClearError() throws Exception {
        Path file = Files.writeString(tempDir.resolve("plain.txt"), "not a directory");
        IOException inside = assertThrows(IOException.class, () -> CHRONICLE.serve(file.resolve("q").toString(), ServerSettings.defaults()));
        assertTrue(inside.getMessage().startsWith("cannot create the queue directory " + file.resolve("q")), inside.getMessage());
        IOException itself = assertThrows(IOException.class, () -> CHRONICLE.serve(file.toString(), ServerSettings.defaults()));
        assertTrue(itself.getMessage().contains("exists and is not a directory"), itself.getMessage());
    }

    @Test
    void oneServerPerDirectory() throws Exception {
        Path dir = tempDir.resolve("q");
        try (EchoServer first = CHRONICLE.serve(dir.toString(), ServerSettings.defaults())) {
            IOException second = assertThrows(IOException.class, () -> CHRONICLE.serve(dir.toString(), ServerSettings.defaults()));
            long pid = ProcessHandle.current().pid();
            assertTrue(second.getMessage().contains("another chronicle server (pid " + pid + ") is already serving " + dir),
                    second.getMessage());
            // A client in the same process reads the pid without disturbing the server's lock.
            try (ChronicleEchoClient client = ChronicleEchoClient.connect(dir, ClientSettings.defaults())) {
                assertEquals(pid, client.serverPid().orElseThrow());
                byte[] back = new byte[3];
                client.roundTrip(new byte[] {1, 2, 3}, back, 3);
            }
            assertThrows(IOException.class, () -> CHRONICLE.serve(dir.toString(), ServerSettings.defaults()),
                    "the lock still holds after a client read the pid file");
        }
        try (EchoServer again = CHRONICLE.serve(dir.toString(), ServerSettings.defaults())) {
            assertEquals(dir.toString(), again.endpoint());
        }
        assertFalse(Files.exists(dir.resolve(ChronicleServerLock.PID_FILE)), "a stopped server leaves no pid file");
    }

    @Test
    void aTemporaryDirectoryIsRemovedWhenTheServerStops() throws Exception {
        Path made;
        try (ChronicleEchoServer server = (ChronicleEchoServer) CHRONICLE.serve("", ServerSettings.defaults())) {
            made = server.directory();
            assertTrue(server.isTemporary());
            assertTrue(made.getFileName().toString().startsWith("ipc-lab-chronicle-"), made.toString());
            try (ChronicleEchoClient client = ChronicleEchoClient.connect(made, ClientSettings.defaults())) {
                byte[] back = new byte[2];
                client.roundTrip(new byte[] {4, 2}, back, 2);
            }
            try (var files = Files.list(made.resolve(ChronicleDirectory.REQUESTS))) {
                assertTrue(files.anyMatch(f -> f.toString().endsWith(".cq4")), "queue files were written");
            }
        }
        assertFalse(Files.exists(made), made + " should be gone");
    }

    @Test
    void aNamedDirectoryKeepsItsQueueFiles() throws Exception {
        Path dir = tempDir.resolve("kept");
        try (ChronicleEchoServer server = (ChronicleEchoServer) CHRONICLE.serve(dir.toString(), ServerSettings.defaults())) {
            assertFalse(server.isTemporary());
        }
        assertTrue(Files.exists(dir.resolve(ChronicleDirectory.REQUESTS).resolve("metadata.cq4t")));
        assertTrue(Files.exists(dir.resolve(ChronicleDirectory.RESPONSES).resolve("metadata.cq4t")));
    }

    @Test
    void anUnknownPauserIsAClearError() {
        IOException e = assertThrows(IOException.class, () -> CHRONICLE.serve(tempDir.resolve("q").toString(),
                ServerSettings.defaults().withOptions(Map.of("pauser", "fast"))));
        assertEquals("unknown pauser 'fast': choose one of busy, sleepy", e.getMessage());
    }

    /**
     * chmod 555 stops an ordinary user; root ignores permission bits, so for root the directory is also
     * made immutable ({@code chattr +i}), which stops root too.
     */
    private static void makeUnwritable(Path dir) throws Exception {
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("r-xr-xr-x"));
        if (canCreateIn(dir)) {
            run("chattr", "+i", dir.toString());
        }
        if (canCreateIn(dir)) {
            makeWritable(dir);
            abort("needs a directory this user cannot write: root ignores permissions and chattr +i is not supported here; run as a normal user");
        }
    }

    private static void makeWritable(Path dir) throws Exception {
        if (!canCreateIn(dir)) {
            run("chattr", "-i", dir.toString());
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private static boolean canCreateIn(Path dir) {
        try {
            Files.delete(Files.createTempFile(dir, "probe", ""));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void run(String... command) throws Exception {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // the command is not installed: the caller checks the outcome
        }
    }
}

package org.ipclab.queue.chronicle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.ClientSettings;
import org.ipclab.core.JvmFlags;
import org.ipclab.core.ServeMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A Chronicle server process as ForkedPeer runs it: stdout carries READY and nothing else (no banner, no
 * analytics line), and once it stops, nothing is left in its temp directory, home or working directory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ChronicleServerProcessTest {

    @TempDir
    Path tempDir;

    @Test
    void stdoutCarriesOnlyReadyAndNothingIsLeftBehind() throws Exception {
        Path home = Files.createDirectory(tempDir.resolve("home"));
        Path tmp = Files.createDirectory(tempDir.resolve("tmp"));
        Path work = Files.createDirectory(tempDir.resolve("work"));
        List<String> command = JvmFlags.javaCommand(
                List.of("-Duser.home=" + home, "-Djava.io.tmpdir=" + tmp, "-XX:-UsePerfData"),
                ServeMain.class.getName(), List.of(ChronicleTestSupport.CHRONICLE.id(), ""));
        ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile()).redirectError(Redirect.INHERIT);
        builder.environment().put("HOME", home.toString());
        Process process = builder.start();
        Path queueDir;
        try (ChildProcess server = new ChildProcess(process, "chronicle server")) {
            BufferedReader stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            String ready = stdout.readLine();
            assertTrue(ready != null && ready.startsWith(ServeMain.READY), "first line: " + ready);
            queueDir = Path.of(ready.substring(ServeMain.READY.length()));
            assertTrue(queueDir.startsWith(tmp), "the temporary queue directory is under java.io.tmpdir: " + queueDir);
            try (ChronicleEchoClient client = ChronicleEchoClient.connect(queueDir, ClientSettings.defaults())) {
                byte[] echoed = new byte[5];
                client.roundTrip("hello".getBytes(StandardCharsets.US_ASCII), echoed, 5);
                assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), echoed);
            }
            process.getOutputStream().close();   // end of file on the server's stdin: it stops
            assertTrue(process.waitFor(20, TimeUnit.SECONDS), "the server stops when its stdin closes");
            assertEquals(0, process.exitValue(), server.describeExit());
            assertEquals(null, stdout.readLine(), "nothing after READY on stdout");
        }
        assertFalse(Files.exists(queueDir), "the temporary queue directory was removed");
        assertEquals(List.of(), contents(tmp), "left in java.io.tmpdir");
        assertEquals(List.of(), contents(home), "left in the home directory");
        assertEquals(List.of(), contents(work), "left in the working directory");
    }

    private static List<String> contents(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !p.equals(dir)).map(p -> dir.relativize(p).toString()).sorted().toList();
        }
    }
}

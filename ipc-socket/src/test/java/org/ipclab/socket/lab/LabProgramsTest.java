package org.ipclab.socket.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lab's programs work with each other in every pairing: the Java lab edition against the lab's own Python
 * server and client, and against itself; and each Java file compiles and runs alone, as a student copies it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LabProgramsTest {

    static final Duration START = Duration.ofSeconds(20);
    static final Duration RUN = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void javaClientAgainstThePythonServer() throws Exception {
        assumePython();
        int port = LabPrograms.freePort();
        try (ChildProgram server = ChildProgram.start(LabPrograms.python(LabPrograms.PYTHON_SERVER, dir, "" + port), dir)) {
            LabPrograms.awaitListening(port, server, START);
            List<String> client = runClient(LabPrograms.java(LabClient.class, "" + port));
            assertEquals(List.of("Received Hello, world"), client);
            assertTrue(server.awaitLine(l -> l.startsWith("Connected by ('127.0.0.1', "), RUN).endsWith(")"), server.lines().toString());
        }
    }

    @Test
    void pythonClientAgainstTheJavaServer() throws Exception {
        assumePython();
        int port = LabPrograms.freePort();
        try (ChildProgram server = ChildProgram.start(LabPrograms.java(LabServer.class, "" + port), dir)) {
            LabPrograms.awaitListening(port, server, START);
            List<String> client = runClient(LabPrograms.python(LabPrograms.PYTHON_CLIENT, dir, "" + port));
            assertEquals(List.of("Received b'Hello, world'"), client);
            assertTrue(server.awaitLine(l -> l.matches("Connected by 127\\.0\\.0\\.1:\\d+"), RUN) != null);
        }
    }

    @Test
    void javaAgainstJavaAndTheServerTakesTheNextClient() throws Exception {
        int port = LabPrograms.freePort();
        try (ChildProgram server = ChildProgram.start(LabPrograms.java(LabServer.class, "" + port), dir)) {
            LabPrograms.awaitListening(port, server, START);
            assertEquals(List.of("Received Hello, world"), runClient(LabPrograms.java(LabClient.class, "" + port)));
            assertEquals(List.of("Received Hello, world"), runClient(LabPrograms.java(LabClient.class, "" + port)));
            List<String> seen = server.awaitLines(2, RUN);
            assertEquals(2, seen.size(), seen.toString());
            assertTrue(seen.stream().allMatch(l -> l.matches("Connected by 127\\.0\\.0\\.1:\\d+")), seen.toString());
            assertFalse(seen.get(0).equals(seen.get(1)), "each connect gets its own ephemeral port: " + seen);
        }
    }

    @Test
    void eachSourceFileCompilesAloneAndRunsWithTheSourceLauncher() throws Exception {
        String serverSource = LabPrograms.source(LabServer.class);
        String clientSource = LabPrograms.source(LabClient.class);
        for (String source : List.of(serverSource, clientSource)) {
            Path empty = Files.createTempDirectory(dir, "javac-");
            Path file = StandaloneJava.compile(source, empty);
            assertTrue(Files.exists(empty.resolve("org/ipclab/socket/lab/" + StandaloneJava.className(source) + ".class")), file.toString());
        }
        int port = LabPrograms.freePort();
        Path serverDir = Files.createTempDirectory(dir, "server-");
        Path clientDir = Files.createTempDirectory(dir, "client-");
        try (ChildProgram server = StandaloneJava.launch(serverSource, serverDir, "" + port)) {
            LabPrograms.awaitListening(port, server, START);
            try (ChildProgram client = StandaloneJava.launch(clientSource, clientDir, "" + port)) {
                assertEquals(0, client.awaitExit(RUN), client.lines().toString());
                assertEquals(List.of("Received Hello, world"), client.lines());
            }
            server.awaitLine(l -> l.startsWith("Connected by 127.0.0.1:"), RUN);
        }
    }

    @Test
    void aSourceThatNeedsMoreThanTheJdkIsRefused() throws Exception {
        String leaky = "package x;\nimport org.ipclab.core.EchoServer;\npublic class Leaky { EchoServer s; }\n";
        java.io.IOException failure = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> StandaloneJava.compile(leaky, dir));
        assertTrue(failure.getMessage().contains("does not compile standalone"), failure.getMessage());
    }

    private List<String> runClient(List<String> command) throws Exception {
        try (ChildProgram client = ChildProgram.start(command, dir)) {
            assertEquals(0, client.awaitExit(RUN), client.lines().toString());
            return client.lines();
        }
    }

    private static void assumePython() {
        Assumptions.assumeTrue(LabPrograms.pythonAvailable(), "needs python3 on the PATH (apt-get install python3): the lab's Python server and client cannot run without it");
    }
}

package org.ipclab.comparison.cli;

import static org.ipclab.comparison.cli.BadInputTest.assertOneClearLine;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code client pipe}, {@code server pipe}, {@code server fifo} and {@code client fifo}, as a student runs them. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PipeCliTest {

    @TempDir
    Path dir;

    @Test
    void clientPipeStartsItsOwnJvmEchoChild() {
        Cli.Result result = Cli.run("client", "pipe", "--message", "Hello, world");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("Received 'Hello, world' (12 bytes) in "), result.toString());
    }

    @Test
    void clientPipeWithCatEchoesTenMebibytes() {
        Cli.Result result = Cli.run("client", "pipe", "--child", "cat", "--size", "10MiB");
        assertEquals(0, result.exitCode(), result.toString());
        assertTrue(result.out().contains("(10485760 bytes), every byte verified"), result.toString());
    }

    @Test
    void serverPipeExplainsThatThereIsNoServer() {
        assertOneClearLine(Cli.run("server", "pipe"), "an anonymous pipe has no server", "./ipc-lab client pipe");
        assertOneClearLine(Cli.run("server", "pipe", "--child", "cat"), "an anonymous pipe has no server");
    }

    @Test
    void aChildThatCannotRunIsOneClearLine() {
        assertOneClearLine(Cli.run("client", "pipe", "--child", "no-such-echo-program-xyz"),
                "'no-such-echo-program-xyz': no such program on PATH", "--child");
        assertOneClearLine(Cli.run("client", "pipe", "--child", "sh -c 'exit 3"), "unbalanced '", "--child");
    }

    @Test
    void aChildThatDiesIsReportedWithItsExitCode() {
        Cli.Result result = Cli.run("client", "pipe", "--child", "sh -c 'exit 3'");
        assertEquals(ExitCodes.FAILED, result.exitCode(), result.toString());
        assertEquals(1, result.err().lines().count(), result.toString());
        assertTrue(result.err().contains("echo child exited with code 3"), result.toString());
        assertFalse(result.err().contains("\tat "), result.toString());
    }

    @Test
    void clientFifoWithNoServerSaysHowToStartOne() {
        Path fifos = dir.resolve("fifo");
        assertOneClearLine(Cli.run("client", "fifo", "--path", fifos.toString()),
                "no FIFO at " + fifos.resolve("request.fifo"), "start one with ./ipc-lab server fifo --path " + fifos);
    }

    @Test
    void serverFifoRefusesARegularFileWhereAFifoBelongs() throws IOException {
        Files.writeString(dir.resolve("request.fifo"), "not a fifo");
        assertOneClearLine(Cli.run("server", "fifo", "--path", dir.toString()), "is a regular file, not a FIFO", "--path");
    }

    @Test
    void fifoServerInOneProcessClientInAnotherAndTheFifosGoOnSigterm() throws Exception {
        Path fifos = dir.resolve("fifo");
        try (CliProcess server = CliProcess.start("server", "fifo", "--path", fifos.toString())) {
            String first = server.readLine();
            assertTrue(first != null && first.contains("requests on " + fifos.resolve("request.fifo")), "server said: " + first);
            assertTrue(Files.exists(fifos.resolve("request.fifo"), LinkOption.NOFOLLOW_LINKS));

            Cli.Result client = Cli.run("client", "fifo", "--path", fifos.toString(), "--message", "Hello, world");
            assertEquals(0, client.exitCode(), client.toString());
            assertTrue(client.out().contains("Received 'Hello, world' (12 bytes) in "), client.toString());

            assertOneClearLine(Cli.run("server", "fifo", "--path", fifos.toString()), "another fifo server is running in " + fifos);

            server.terminate();   // SIGTERM, as `kill <pid>` sends
            Process process = server.child().process();
            assertTrue(process.waitFor(10, TimeUnit.SECONDS), "the server must stop on SIGTERM");
            assertEquals(0, process.exitValue());
            StringBuilder log = new StringBuilder();
            for (String line = server.readLine(); line != null; line = server.readLine()) {
                log.append(line).append('\n');
            }
            assertTrue(log.toString().contains("Client done (session 1): 12 bytes echoed"), log.toString());
            assertTrue(log.toString().contains("Server stopped."), log.toString());
            assertFalse(Files.exists(fifos.resolve("request.fifo"), LinkOption.NOFOLLOW_LINKS), "request FIFO left behind");
            assertFalse(Files.exists(fifos.resolve("response.fifo"), LinkOption.NOFOLLOW_LINKS), "response FIFO left behind");
            assertFalse(Files.exists(fifos), "the server made the directory and removes it");
        }
    }
}

package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.JvmFlags;
import org.ipclab.queue.MqLimits;
import org.ipclab.queue.PosixMqTransport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code ./ipc-lab server posix-mq} and {@code ./ipc-lab client posix-mq} as a student runs them: the server in a
 * process of its own, the client here; and every bad input as one clear line with exit code 2.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PosixMqCliTest {

    private static final String EOF = "\u0000EOF";

    @BeforeAll
    static void queuesAvailable() {
        PosixMqTransport mq = new PosixMqTransport();
        assumeTrue(mq.unavailableReason().isEmpty(), () -> "needs POSIX message queues (Linux, libc mq_open): " + mq.unavailableReason().orElse(""));
    }

    private static String uniqueName() {
        return "cli-" + ProcessHandle.current().pid() + "-" + System.nanoTime() % 100_000;
    }

    private static CliProcess startServer(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("server", "posix-mq"));
        command.addAll(List.of(args));
        return CliProcess.start(command.toArray(new String[0]));
    }

    @Test
    void serverInOneProcessClientInAnotherAndTheQueueIsGoneAfterSigterm() throws Exception {
        String name = uniqueName();
        try (CliProcess server = startServer("--name", name)) {
            String first = server.awaitLine("ipc-lab posix-mq echo server");
            MqLimits limits = MqLimits.read();
            assertTrue(first.contains("request queue /ipclab-" + name + "-req (" + limits.defaultMaxMessages()
                    + " messages of " + limits.defaultMessageBytes() + " bytes"), first);
            String limitsLine = server.readLine();
            assertTrue(limitsLine.startsWith("kernel limits: fs.mqueue.msg_max " + limits.msgMax())
                    && limitsLine.contains("RLIMIT_MSGQUEUE"), limitsLine);
            server.awaitLine("Press Ctrl-C to stop.");

            Cli.Result hello = Cli.run("client", "posix-mq", "--name", name, "--message", "Hello, world");
            assertEquals(0, hello.exitCode(), hello.toString());
            assertTrue(hello.out().contains("Received 'Hello, world' (12 bytes) in "), hello.toString());
            String connected = server.awaitLine("Connected by");
            assertTrue(connected.matches("Connected by client pid " + ProcessHandle.current().pid()
                    + " \\(priority \\d+, response queue /ipclab-" + name + "-rsp-\\d+-\\d+ of \\d+ messages?\\)"), connected);
            server.awaitLine("the client finished sending and every byte was echoed (12 bytes)");

            Cli.Result big = Cli.run("client", "posix-mq", "--name", name, "--size", "3MiB");
            assertEquals(0, big.exitCode(), big.toString());
            assertTrue(big.out().contains("every byte verified"), big.toString());

            server.child().process().toHandle().destroy();   // SIGTERM, as `kill` sends
            assertTrue(server.child().process().waitFor(10, TimeUnit.SECONDS));
            assertEquals(0, server.child().process().exitValue(), "exit code after SIGTERM");
            server.awaitLine("Removed queue /ipclab-" + name + "-req");
            server.awaitLine("Server stopped.");
        }
        BadInputTest.assertOneClearLine(Cli.run("client", "posix-mq", "--name", name),
                "no posix-mq server named '" + name + "'", "start one with ./ipc-lab server posix-mq --name " + name);
    }

    @Test
    void aSecondServerWithTheSameNameIsOneClearLine() throws Exception {
        String name = uniqueName();
        try (CliProcess server = startServer("--name", name)) {
            server.awaitLine("Press Ctrl-C to stop.");
            BadInputTest.assertOneClearLine(Cli.run("server", "posix-mq", "--name", name),
                    "another posix-mq server (pid " + server.child().pid() + ") is already serving", "choose another --name");
            server.child().process().toHandle().destroy();   // the server stops on SIGTERM, not on end of stdin
        }
    }

    @Test
    void noServerSaysHowToStartOne() {
        BadInputTest.assertOneClearLine(Cli.run("client", "posix-mq", "--name", "nobody-serves-this"),
                "no posix-mq server named 'nobody-serves-this'", "start one with ./ipc-lab server posix-mq --name nobody-serves-this");
    }

    @Test
    void badNamesAndSizesAreOneClearLine() {
        BadInputTest.assertOneClearLine(Cli.run("server", "posix-mq", "--name", "a/b"), "'a/b' is not valid", "--name");
        BadInputTest.assertOneClearLine(Cli.run("client", "posix-mq", "--name", "has space"), "is not valid", "--name");
        BadInputTest.assertOneClearLine(Cli.run("server", "posix-mq", "--name", uniqueName(), "--max-messages", "0"),
                "--max-messages must be at least 1");
        BadInputTest.assertOneClearLine(Cli.run("server", "posix-mq", "--name", uniqueName(), "--message-size", "8"),
                "--message-size must be at least");
        BadInputTest.assertOneClearLine(Cli.run("server", "posix-mq", "--name", uniqueName(), "--message-size", "100000"),
                "EINVAL", "fs.mqueue.msgsize_max");
    }
}

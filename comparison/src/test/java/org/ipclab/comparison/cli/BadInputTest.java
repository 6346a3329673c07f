package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Every bad input: one line on stderr that says what is wrong and what to do, exit code 2, no stack trace. */
@Timeout(30)
class BadInputTest {

    @TempDir
    Path dir;

    static void assertOneClearLine(Cli.Result result, String... fragments) {
        assertEquals(ExitCodes.BAD_INPUT, result.exitCode(), result.toString());
        String err = result.err();
        assertEquals(1, err.lines().count(), "exactly one line on stderr: " + result);
        assertTrue(err.startsWith("ipc-lab: "), result.toString());
        assertFalse(err.contains("\tat ") || err.contains("Exception"), "no stack trace or exception name: " + result);
        for (String fragment : fragments) {
            assertTrue(err.contains(fragment), "stderr should mention '" + fragment + "': " + result);
        }
    }

    @Test
    void unknownTransport() {
        assertOneClearLine(Cli.run("server", "carrier-pigeon"), "unknown transport 'carrier-pigeon'", "tcp", "unix");
        assertOneClearLine(Cli.run("client", "carrier-pigeon"), "unknown transport 'carrier-pigeon'");
    }

    @Test
    void unknownCommand() {
        assertOneClearLine(Cli.run("serve"), "unknown command 'serve'", "server");
    }

    @Test
    void portOutOfRange() {
        assertOneClearLine(Cli.run("client", "tcp", "--port", "70000"), "port 70000 is out of range");
        assertOneClearLine(Cli.run("server", "tcp", "--port", "-1"), "port -1 is out of range");
        assertOneClearLine(Cli.run("client", "tcp", "--port", "http"), "--port", "http");
    }

    @Test
    void portInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Cli.Result result = Cli.run("server", "tcp", "--port", String.valueOf(taken.getLocalPort()));
            assertOneClearLine(result, "port " + taken.getLocalPort(), "already in use", "--port");
        }
    }

    @Test
    void unknownHost() {
        assertOneClearLine(Cli.run("client", "tcp", "--host", "no-such-host.invalid", "--timeout", "3s"),
                "unknown host 'no-such-host.invalid'");
    }

    @Test
    void connectionRefusedSaysHowToStartAServer() throws Exception {
        int freePort;
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress("127.0.0.1", 0));
            freePort = probe.getLocalPort();
        }
        assertOneClearLine(Cli.run("client", "tcp", "--port", String.valueOf(freePort)),
                "no server at 127.0.0.1:" + freePort, "start one with ./ipc-lab server tcp --port " + freePort);
    }

    @Test
    void missingFile() {
        assertOneClearLine(Cli.run("client", "tcp", "--file", dir.resolve("nope.bin").toString()), "does not exist", "--file");
    }

    @Test
    void pathThatIsNotASocket() throws Exception {
        Path regular = Files.writeString(dir.resolve("plain.txt"), "not a socket");
        assertOneClearLine(Cli.run("client", "unix", "--path", regular.toString()), "is not a socket");
        assertOneClearLine(Cli.run("server", "unix", "--path", regular.toString()), "is not a socket");
    }

    @Test
    void missingSocketFile() {
        assertOneClearLine(Cli.run("client", "unix", "--path", dir.resolve("gone.sock").toString()),
                "no socket file", "start one with ./ipc-lab server unix");
    }

    @Test
    void badDurationAndCounts() {
        assertOneClearLine(Cli.run("client", "tcp", "--timeout", "soon"), "'soon' is not a duration");
        assertOneClearLine(Cli.run("client", "tcp", "--count", "0"), "--count must be at least 1");
        assertOneClearLine(Cli.run("client", "tcp", "--message", "a", "--size", "3"), "mutually exclusive");
        assertOneClearLine(Cli.run("server", "tcp", "--port", "0", "--max-connections", "0"), "--max-connections");
    }

    @Test
    void bindToAnAddressThisMachineDoesNotHave() {
        // 192.0.2.0/24 is TEST-NET-1 (RFC 5737): never assigned to a real host
        assertOneClearLine(Cli.run("server", "tcp", "--port", "0", "--bind", "192.0.2.1"), "not an address of this machine");
    }
}

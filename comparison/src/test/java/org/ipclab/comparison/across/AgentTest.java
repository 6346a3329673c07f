package org.ipclab.comparison.across;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.ipclab.comparison.cli.UserError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The agent on loopback: the token, what it starts and refuses, and that its servers end with their connection. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AgentTest {

    private static final String TOKEN = "a-token-for-this-test";

    @TempDir
    Path dir;

    private final List<String> log = new CopyOnWriteArrayList<>();

    private Agent agent(int maxConnections, Duration idle) throws IOException {
        return Agent.start(new InetSocketAddress("127.0.0.1", 0), TOKEN, maxConnections, idle, log::add);
    }

    @Test
    void aWrongTokenIsDeniedAndNothingStarts() throws Exception {
        try (Agent agent = agent(4, Duration.ofSeconds(10)); Control c = new Control(agent)) {
            assertTrue(c.ask("HELLO " + TOKEN + "x").startsWith("DENIED wrong token"));
            assertNull(Agent.readLine(c.in), "the agent closed the connection");
        }
        assertTrue(log.stream().anyMatch(l -> l.contains("wrong token")), log.toString());
        assertTrue(log.stream().noneMatch(l -> l.contains("echo server")), log.toString());
    }

    @Test
    void withTheTokenItStartsAnEchoServerOnlyOfTcpOrUdpAndStopsItWhenTheConnectionEnds() throws Exception {
        int port;
        try (Agent agent = agent(4, Duration.ofSeconds(10)); Control c = new Control(agent)) {
            assertEquals("OK agent 1", c.ask("HELLO " + TOKEN));
            assertTrue(c.ask("START kafka").startsWith("ERR the agent serves only tcp and udp"));
            assertTrue(c.ask("RUN /bin/sh").startsWith("ERR unknown command"));
            String started = c.ask("START tcp");
            assertTrue(started.startsWith("OK "), started);
            port = Integer.parseInt(started.substring(3));
            try (Socket echo = new Socket("127.0.0.1", port)) {
                echo.setSoTimeout(5000);
                echo.getOutputStream().write("Hello, world".getBytes());
                assertArrayEquals("Hello, world".getBytes(), echo.getInputStream().readNBytes(12));
            }
            assertEquals("OK", c.ask("BYE"));
            awaitStopped(port);
        }
    }

    @Test
    void aControlConnectionBeyondTheCapIsToldSo() throws Exception {
        try (Agent agent = agent(1, Duration.ofSeconds(10)); Control first = new Control(agent)) {
            assertEquals("OK agent 1", first.ask("HELLO " + TOKEN));
            try (Control second = new Control(agent)) {
                String said = Agent.readLine(second.in);
                assertTrue(said != null && said.startsWith("DENIED busy"), said);
            }
        }
    }

    @Test
    void anIdleControlConnectionIsClosedAndItsServersStop() throws Exception {
        try (Agent agent = agent(4, Duration.ofMillis(300)); Control c = new Control(agent)) {
            assertEquals("OK agent 1", c.ask("HELLO " + TOKEN));
            int port = Integer.parseInt(c.ask("START tcp").substring(3));
            assertNull(Agent.readLine(c.in), "closed after 300 ms of silence");
            awaitStopped(port);
            assertTrue(log.stream().anyMatch(l -> l.contains("was idle")), log.toString());
        }
    }

    @Test
    void aTokenFileOthersMayReadIsRefused() throws Exception {
        Path file = dir.resolve("token");
        Files.writeString(file, TOKEN + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        UserError e = assertThrows(UserError.class, () -> AgentProtocol.readToken(file));
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertEquals(TOKEN, AgentProtocol.readToken(file));
        assertThrows(UserError.class, () -> AgentProtocol.readToken(dir.resolve("missing")));
    }

    @Test
    void tokensAreComparedWhole() {
        assertTrue(AgentProtocol.sameToken(TOKEN, TOKEN));
        assertFalse(AgentProtocol.sameToken(TOKEN, TOKEN.substring(0, TOKEN.length() - 1)));
        assertFalse(AgentProtocol.sameToken(TOKEN, ""));
    }

    private static void awaitStopped(int port) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                Thread.sleep(50);
            } catch (ConnectException e) {
                return;   // nothing listens there any more
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        throw new AssertionError("the echo server on port " + port + " still accepts after 5 s");
    }

    /** One control connection to the agent. */
    private static final class Control implements AutoCloseable {
        final Socket socket;
        final InputStream in;
        final OutputStream out;

        Control(Agent agent) throws IOException {
            InetSocketAddress at = org.ipclab.core.HostPort.parse(agent.address());
            socket = new Socket("127.0.0.1", at.getPort());
            socket.setSoTimeout(5000);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        }

        String ask(String line) throws IOException {
            Agent.reply(out, line);
            return Agent.readLine(in);
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}

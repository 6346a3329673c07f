package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The udp client's and server's outcomes on the command line: a message larger than one datagram and bad ports or
 * addresses are bad input (exit 2, one line); a server that never answers is "no echo after 3 tries" (exit 1,
 * within the timeout); a port nobody binds is "no server" (the ICMP port unreachable), and a real echo works.
 */
@Timeout(30)
class UdpCliTest {

    private static DatagramChannel silent() throws Exception {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        channel.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return channel;
    }

    private static String port(DatagramChannel channel) throws Exception {
        return String.valueOf(((InetSocketAddress) channel.getLocalAddress()).getPort());
    }

    @Test
    void theClientEchoesThroughTheServerAndTheLargestDatagram() throws Exception {
        try (org.ipclab.core.EchoServer server = org.ipclab.core.Transports.byId("udp").serve("127.0.0.1:0",
                org.ipclab.core.ServerSettings.defaults())) {
            String port = server.endpoint().substring(server.endpoint().lastIndexOf(':') + 1);
            Cli.Result hello = Cli.run("client", "udp", "--port", port, "--message", "Hello, world", "--count", "3");
            assertEquals(ExitCodes.OK, hello.exitCode(), hello.toString());
            assertTrue(hello.out().contains("Received 'Hello, world' (12 bytes)"), hello.toString());
            Cli.Result largest = Cli.run("client", "udp", "--port", port, "--size", "65507");
            assertEquals(ExitCodes.OK, largest.exitCode(), largest.toString());
            assertTrue(largest.out().contains("(65507 bytes), every byte verified"), largest.toString());
        }
    }

    @Test
    void aMessageOfOneByteMoreThanADatagramIsRefusedInOneLine() throws Exception {
        try (DatagramChannel server = silent()) {
            Cli.Result result = Cli.run("client", "udp", "--port", port(server), "--size", "65508", "--timeout", "3s");
            BadInputTest.assertOneClearLine(result, "65508 bytes", "not possible: larger than one datagram", "65507");
            server.configureBlocking(false);
            assertEquals(null, server.receive(ByteBuffer.allocate(16)), "nothing was sent");
        }
    }

    @Test
    void aServerThatNeverAnswersIsNoEchoAfterThreeTriesWithinTheTimeout() throws Exception {
        try (DatagramChannel server = silent()) {
            long start = System.nanoTime();
            Cli.Result result = Cli.run("client", "udp", "--port", port(server), "--message", "anyone?", "--timeout", "3s");
            long elapsedMs = (System.nanoTime() - start) / 1_000_000;
            assertEquals(ExitCodes.FAILED, result.exitCode(), result.toString());
            assertEquals(1, result.err().lines().count(), result.toString());
            assertTrue(result.err().contains("no echo after 3 tries"), result.toString());
            assertFalse(result.err().contains("Exception"), result.toString());
            assertTrue(elapsedMs >= 2900 && elapsedMs < 8000, "three tries of a third of 3 s each, took " + elapsedMs + " ms");
            // the same datagram came three times: sent, then sent again twice
            server.configureBlocking(false);
            int copies = 0;
            while (server.receive(ByteBuffer.allocate(64)) != null) {
                copies++;
            }
            assertEquals(3, copies, "datagrams the silent server received");
        }
    }

    @Test
    void aPortNobodyBindsSaysNoServerAndHowToStartOne() throws Exception {
        String port;
        try (DatagramChannel probe = silent()) {
            port = port(probe);
        }
        Cli.Result result = Cli.run("client", "udp", "--port", port, "--message", "hi", "--timeout", "3s");
        BadInputTest.assertOneClearLine(result, "no server at 127.0.0.1:" + port, "port unreachable", "server udp --port " + port);
    }

    @Test
    void badPortsAndAddressesAreBadInput() throws Exception {
        BadInputTest.assertOneClearLine(Cli.run("server", "udp", "--port", "70000"), "port 70000 is out of range");
        BadInputTest.assertOneClearLine(Cli.run("client", "udp", "--port", "0"), "port 0 is out of range");
        BadInputTest.assertOneClearLine(Cli.run("client", "udp", "--port", "http"), "--port", "http");
        BadInputTest.assertOneClearLine(Cli.run("server", "udp", "--port", "0", "--bind", "192.0.2.1"),
                "not an address of this machine");
        BadInputTest.assertOneClearLine(Cli.run("server", "udp", "--port", "0", "--bind", "no-such-host.invalid"),
                "unknown host");
        try (DatagramChannel taken = silent()) {
            BadInputTest.assertOneClearLine(Cli.run("server", "udp", "--port", port(taken)), "already in use", "ss -uanp");
        }
    }
}

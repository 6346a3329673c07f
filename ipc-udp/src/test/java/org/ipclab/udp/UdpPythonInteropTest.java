package org.ipclab.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * ipc-lab's UDP server and client speak plain UDP: a Python standard-library client gets its echo from the Java
 * server, and the Java client gets its echoes (the largest datagram too) from a Python server.
 */
@Timeout(30)
class UdpPythonInteropTest {

    private static final UdpTransport UDP = new UdpTransport();

    @BeforeAll
    static void needsPython() {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")) || onPath("python3"), "needs python3");
    }

    private static boolean onPath(String name) {
        String path = System.getenv("PATH");
        return path != null && List.of(path.split(":")).stream().anyMatch(d -> Files.isExecutable(Path.of(d, name)));
    }

    private static String script(String name) throws URISyntaxException {
        return Path.of(UdpPythonInteropTest.class.getResource(name).toURI()).toString();
    }

    @Test
    void aPythonClientGetsItsEchoFromTheJavaServer() throws Exception {
        try (EchoServer server = UDP.serve("127.0.0.1:0", ServerSettings.defaults())) {
            String port = server.endpoint().substring(server.endpoint().lastIndexOf(':') + 1);
            Process python = new ProcessBuilder("python3", script("udp_echo_client.py"), "127.0.0.1", port, "Hello, world")
                    .redirectErrorStream(true).start();
            try {
                assertTrue(python.waitFor(15, TimeUnit.SECONDS), "the Python client finished");
                String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertEquals(0, python.exitValue(), out);
                assertEquals("Received b'Hello, world'", out.strip());
            } finally {
                python.destroyForcibly();
            }
        }
    }

    @Test
    void theJavaClientGetsItsEchoesFromAPythonServer() throws Exception {
        Process python = new ProcessBuilder("python3", script("udp_echo_server.py"), "127.0.0.1", "0")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(python.getInputStream(), StandardCharsets.UTF_8));
            String ready = lines.readLine();
            assertTrue(ready != null && ready.startsWith("PORT "), "the Python server said its port: " + ready);
            String endpoint = "127.0.0.1:" + ready.substring(5).trim();
            try (EchoClient client = UDP.connect(endpoint, ClientSettings.defaults())) {
                for (int size : new int[] {1, 64, 1024, UdpEndpoints.MAX_PAYLOAD_BYTES}) {
                    byte[] sent = new byte[size];
                    new Random(size).nextBytes(sent);
                    byte[] echoed = new byte[size];
                    client.roundTrip(sent, echoed, size);
                    assertArrayEquals(sent, echoed, size + " bytes");
                }
                IOException refused = org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                        () -> client.send(new byte[UdpEndpoints.MAX_PAYLOAD_BYTES + 1], 0, UdpEndpoints.MAX_PAYLOAD_BYTES + 1));
                assertTrue(refused.getMessage().contains("larger than one UDP datagram"), refused.getMessage());
            }
        } finally {
            python.getOutputStream().close();   // end of its stdin: the server stops
            if (!python.waitFor(5, TimeUnit.SECONDS)) {
                python.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}

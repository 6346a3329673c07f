package org.ipclab.comparison.across;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.comparison.IpcLabMain;
import org.ipclab.comparison.backlog.NamespaceVariants;
import org.ipclab.comparison.cli.IpcLabCommand;
import org.ipclab.core.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** {@code ipc-lab across}: what a quick run measures, bad input, and nothing left after SIGTERM midway. */
class AcrossCommandTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"--rtt=-5ms", "--rate=0mbit", "--loss=101%", "--transports=carrier-pigeon", "--rtt=soon"})
    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    void badInputIsOneLineAndExitTwo(String option) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = IpcLabCommand.execute(new String[] {"across", option, "--out", dir.toString()},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        String said = err.toString(StandardCharsets.UTF_8).strip();
        assertEquals(2, code, said);
        assertEquals(1, said.lines().count(), said);
        assertTrue(said.startsWith("ipc-lab: "), said);
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aQuickRunAt10msAnd20mbitMeasuresTheLink() throws Exception {
        assumeRoot();
        List<String> before = NamespaceVariants.existingNamespaces();
        String linksBefore = AcrossLinkTest.links();
        int code = IpcLabCommand.execute(new String[] {"across", "--rtt", "10ms", "--rate", "20mbit", "--quick",
                "--transports", "tcp,udp", "--out", dir.toString()}, System.out, System.err);
        assertEquals(0, code);
        JsonNode network = new ObjectMapper().readTree(dir.resolve("results.json").toFile()).path("network");
        double p50 = -1;
        double udpP50 = -1;
        long udpSent = -1;
        double mbit = -1;
        for (JsonNode row : network) {
            if (row.path("what").asText().equals("round trip") && row.path("sizeBytes").asInt() == 64) {
                if (row.path("transport").asText().equals("udp")) {
                    udpP50 = row.path("p50").path("value").asDouble();
                    udpSent = row.path("sent").asLong();
                } else {
                    p50 = row.path("p50").path("value").asDouble();
                }
            }
            if (row.path("what").asText().equals("stream")) {
                mbit = row.path("throughput").path("value").asDouble();
            }
            assertFalse(row.path("remote").asBoolean());
        }
        assertTrue(p50 >= 10 && p50 <= 16, "tcp p50 of 64 B " + p50 + " ms: " + network);
        assertTrue(udpP50 >= 10 && udpP50 <= 16, "udp p50 of 64 B " + udpP50 + " ms: " + network);
        assertEquals(30, udpSent, "a quick run sends 30 datagrams of each size: " + network);
        // the echo stream's rate is measured over a window of about 1.5 s: 2 % for the edges of that window
        assertTrue(mbit > 0 && mbit <= 20 * 1.02, "throughput " + mbit + " Mbit/s on a 20 Mbit/s link");
        String report = Files.readString(dir.resolve("REPORT.md"));
        assertTrue(report.contains("## Across a network"));
        assertTrue(report.contains("UDP sends each message as one datagram"), report);
        if (NamespaceVariants.which("python3") != null) {
            assertTrue(report.contains("pathname connected; abstract ConnectionRefusedError"), report);
        }
        assertTrue(Files.exists(dir.resolve("charts").resolve("across-rtt.svg")));
        assertEquals(before, NamespaceVariants.existingNamespaces(), "ip netns list as before");
        assertEquals(linksBefore, AcrossLinkTest.links(), "ip link as before");
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRunEndedBySigtermMidwayLeavesNothing() throws Exception {
        assumeRoot();
        List<String> before = NamespaceVariants.existingNamespaces();
        String linksBefore = AcrossLinkTest.links();
        Process run = new ProcessBuilder(JvmFlags.javaCommand(List.of(), IpcLabMain.class.getName(),
                List.of("across", "--quick", "--out", dir.toString())))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (NamespaceVariants.existingNamespaces().size() < before.size() + 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(before.size() + 2, NamespaceVariants.existingNamespaces().size(), "the run made its hosts");
            Thread.sleep(1_500); // midway: the child JVMs are starting or measuring
            run.destroy(); // SIGTERM: the shutdown hook removes the hosts
            assertTrue(run.waitFor(20, TimeUnit.SECONDS), "the run ended after SIGTERM");
        } finally {
            run.destroyForcibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!AcrossLinkTest.links().equals(linksBefore) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(before, NamespaceVariants.existingNamespaces(), "ip netns list as before");
        assertEquals(linksBefore, AcrossLinkTest.links(), "ip link as before");
    }

    private static void assumeRoot() {
        String reason = NamespaceHosts.unavailableReason();
        assumeTrue(reason == null, "skipped: " + reason);
    }
}

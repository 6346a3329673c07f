package org.ipclab.comparison.across;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.ipclab.comparison.IpcLabMain;
import org.ipclab.comparison.backlog.NamespaceVariants;
import org.ipclab.core.JvmFlags;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code compare --remote} against {@code agent} on another host: the agent runs in namespace host B, compare in host
 * A, and the 1 ms link between them shows in every round trip - the measurement crossed it.
 */
class RemoteCompareTest {

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void compareRemoteMeasuresTcpAndUdpAgainstAnAgentInAnotherHostAndAWrongTokenIsExitTwo() throws Exception {
        String reason = NamespaceHosts.unavailableReason();
        assumeTrue(reason == null, "skipped: " + reason);
        List<String> before = NamespaceVariants.existingNamespaces();
        String linksBefore = AcrossLinkTest.links();
        Path token = dir.resolve("token");
        Path wrong = dir.resolve("wrong");
        Files.writeString(token, "the-right-token\n");
        Files.writeString(wrong, "not-the-token\n");
        for (Path p : List.of(token, wrong)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
        }
        try (NamespaceHosts hosts = NamespaceHosts.start(new DelayLine.Profile(1, 100, 0))) {
            Process agent = new ProcessBuilder(NamespaceHosts.inside(hosts.b, JvmFlags.javaCommand(List.of(),
                    IpcLabMain.class.getName(), List.of("agent", "--bind", DelayLine.ADDRESS_B, "--token-file",
                            token.toString())))).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(agent.getInputStream(), StandardCharsets.UTF_8));
                String ready = CompletableFuture.supplyAsync(() -> {
                    try {
                        return out.readLine();
                    } catch (java.io.IOException e) {
                        return null;
                    }
                }).get(30, TimeUnit.SECONDS);
                assertTrue(ready != null && ready.startsWith("ipc-lab agent listening on " + DelayLine.ADDRESS_B + ":7707"),
                        String.valueOf(ready));

                Process denied = compare(hosts, wrong, dir.resolve("denied"));
                String said = new String(denied.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                assertTrue(denied.waitFor(60, TimeUnit.SECONDS));
                assertEquals(2, denied.exitValue(), said);
                assertTrue(said.contains("refused: wrong token"), said);

                Process ok = compare(hosts, token, dir.resolve("ok"));
                ok.getErrorStream().transferTo(System.err);
                assertTrue(ok.waitFor(90, TimeUnit.SECONDS), "compare --remote finished");
                assertEquals(0, ok.exitValue());
            } finally {
                agent.destroy();   // SIGTERM: the agent stops its servers and its control socket
                if (!agent.waitFor(10, TimeUnit.SECONDS)) {
                    agent.destroyForcibly();
                }
            }
        }
        JsonNode network = new ObjectMapper().readTree(dir.resolve("ok").resolve("results.json").toFile()).path("network");
        int seen = 0;
        for (JsonNode row : network) {
            assertTrue(row.path("remote").asBoolean(), row.toString());
            if (row.path("what").asText().equals("round trip") && row.path("sizeBytes").asInt() == 64) {
                double p50 = row.path("p50").path("value").asDouble();
                assertTrue(p50 >= 1 && p50 < 5, row.path("transport").asText() + " 64 B p50 " + p50 + " ms across a 1 ms link");
                seen++;
            }
        }
        assertEquals(2, seen, "a 64 B round trip of tcp and of udp: " + network);
        assertTrue(Files.readString(dir.resolve("ok").resolve("REPORT.md")).contains("Measured against a real second host"));
        assertEquals(before, NamespaceVariants.existingNamespaces(), "ip netns list as before");
        assertEquals(linksBefore, AcrossLinkTest.links(), "ip link as before");
    }

    private static Process compare(NamespaceHosts hosts, Path tokenFile, Path out) throws java.io.IOException {
        return new ProcessBuilder(NamespaceHosts.inside(hosts.a, JvmFlags.javaCommand(List.of(), IpcLabMain.class.getName(),
                List.of("compare", "--remote", DelayLine.ADDRESS_B, "--token-file", tokenFile.toString(), "--quick",
                        "--out", out.toString())))).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    }
}

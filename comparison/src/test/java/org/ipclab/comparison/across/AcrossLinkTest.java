package org.ipclab.comparison.across;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ipclab.comparison.backlog.NamespaceVariants;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The delay line between two namespace hosts: its RTT is what TCP sees, 100 % loss lets nothing through, nothing is left. */
class AcrossLinkTest {

    private List<String> namespacesBefore;
    private String linksBefore;

    @BeforeEach
    void rootOnly() throws Exception {
        String reason = NamespaceHosts.unavailableReason();
        assumeTrue(reason == null, "skipped: " + reason);
        namespacesBefore = NamespaceVariants.existingNamespaces();
        linksBefore = links();
    }

    @AfterEach
    void nothingLeft() throws Exception {
        if (namespacesBefore != null) {
            assertEquals(namespacesBefore, NamespaceVariants.existingNamespaces(), "ip netns list as before");
            assertEquals(linksBefore, links(), "ip link as before");
        }
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void aTcpConnectAndAnEchoTakeOneRoundTripOfTheLink() throws IOException {
        try (NamespaceHosts hosts = NamespaceHosts.start(new DelayLine.Profile(20, 100, 0))) {
            List<String> lines = AcrossRun.tcp(hosts, 20, List.of(64, 1024), 0, 20_000);
            assertEquals(5, lines.size(), "connect, 64 B, 1 KiB, two small-write lines: " + lines);
            double connect = number(lines.get(0), "p50Ms");
            double rtt64 = number(lines.get(1), "p50Ms");
            assertTrue(connect >= 19.5 && connect < 30, "connect " + connect + " ms for a 20 ms link: " + lines);
            assertTrue(rtt64 >= 19.5 && rtt64 < 30, "64 B round trip " + rtt64 + " ms for a 20 ms link: " + lines);
        }
    }

    @Test
    @Timeout(value = 40, unit = TimeUnit.SECONDS)
    void withAllPacketsLostNothingArrives() throws IOException {
        try (NamespaceHosts hosts = NamespaceHosts.start(new DelayLine.Profile(2, 100, 100))) {
            List<String> lines = AcrossRun.tcp(hosts, 1, List.of(64), 0, 20_000);
            assertEquals(1, lines.size(), String.valueOf(lines));
            assertTrue(lines.get(0).contains("\"error\""), "the connect must fail: " + lines);
            hosts.close();
            String stats = hosts.link().stats();
            assertTrue(stats != null && stats.contains("a2b_delivered=0"), "nothing delivered: " + stats);
        }
    }

    static double number(String json, String field) {
        Matcher m = Pattern.compile("\"" + field + "\":([-0-9.]+)").matcher(json);
        assertTrue(m.find(), field + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    static String links() throws IOException, InterruptedException {
        Process p = new ProcessBuilder("ip", "-o", "link").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(5, TimeUnit.SECONDS);
        return out.replaceAll("(?m)^\\d+: ", "").lines().map(l -> l.split(":")[0]).sorted().toList().toString();
    }
}

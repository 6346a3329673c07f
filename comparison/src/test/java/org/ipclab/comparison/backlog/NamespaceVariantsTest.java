package org.ipclab.comparison.backlog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.ipclab.core.ProcFiles;
import org.ipclab.report.backlog.BacklogSettings;
import org.ipclab.report.backlog.BacklogTrial;
import org.ipclab.report.backlog.NamespaceVariant;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The namespace variants, where this machine allows them (root, ip, sysctl): the child's results come
 * back, the namespace is deleted afterwards (also when setting it up fails), and the host's sysctls are
 * untouched.
 */
@Timeout(90)
class NamespaceVariantsTest {

    private static final Path HOST_ABORT = Path.of("/proc/sys/net/ipv4/tcp_abort_on_overflow");

    @BeforeEach
    void needsRoot() {
        String why = NamespaceVariants.unavailableReason();
        Assumptions.assumeTrue(why == null, () -> "needs root and ip netns (network namespaces): " + why);
    }

    @Test
    void aVariantRunsInItsOwnNamespaceAndLeavesNothingBehind() throws Exception {
        String hostAbort = ProcFiles.read(HOST_ABORT).trim();
        BacklogSettings settings = BacklogSettings.defaults().withClients(3).withConnectTimeoutMs(1_500)
                .withAcceptAfterMs(200L).withNamespaceVariants(true, List.of(1));
        List<NamespaceVariant> results = NamespaceVariants.run(settings, List.of(
                new NamespaceVariants.Spec("tcp_abort_on_overflow=1",
                        Map.of("net.ipv4.tcp_abort_on_overflow", "1"), "test", false),
                new NamespaceVariants.Spec("tcp_syn_retries=1", Map.of("net.ipv4.tcp_syn_retries", "1"), "test", true)));

        NamespaceVariant trials = results.get(0);
        assertNull(trials.error(), trials.error());
        assertEquals(1, trials.kernelSettings().tcpAbortOnOverflow(), "the child saw the namespace's sysctl");
        assertEquals(1, trials.trials().size());
        BacklogTrial t = trials.trials().get(0);
        assertEquals(3, t.summary().fatesTotal());
        assertEquals(BacklogSettings.VARIANT_ACCEPT_EVERY_MS, t.acceptEveryMs());

        NamespaceVariant blocking = results.get(1);
        assertNull(blocking.error(), blocking.error());
        assertNotNull(blocking.blockingConnect().measuredS());
        assertEquals(1, blocking.blockingConnect().synRetries());

        for (NamespaceVariant v : results) {
            assertTrue(v.namespace().startsWith("ipclab-"));
            assertFalse(NamespaceVariants.existingNamespaces().contains(v.namespace()), v.namespace() + " deleted");
        }
        assertEquals(hostAbort, ProcFiles.read(HOST_ABORT).trim(), "the host's sysctl is unchanged");
    }

    @Test
    void aFailedSetUpIsReportedAndTheNamespaceStillDeleted() {
        List<NamespaceVariant> results = NamespaceVariants.run(BacklogSettings.defaults(), List.of(
                new NamespaceVariants.Spec("bogus", Map.of("net.ipv4.no_such_sysctl", "1"), "test", false)));
        NamespaceVariant v = results.get(0);
        assertNotNull(v.error());
        assertTrue(v.error().contains("no_such_sysctl"), v.error());
        assertFalse(NamespaceVariants.existingNamespaces().contains(v.namespace()), v.namespace() + " deleted");
    }
}

package org.ipclab.report.backlog;

import java.util.List;
import java.util.Map;

/**
 * The experiment run again inside a private network namespace with some sysctls changed, to contrast with
 * the host run. The host's own sysctls are never changed.
 *
 * @param name            short name, e.g. "tcp_abort_on_overflow=1"
 * @param namespace       the namespace it ran in (deleted afterwards), e.g. "ipclab-3f9a1c2e"
 * @param sysctls         what was set in it, name → value
 * @param purpose         what the contrast shows
 * @param kernelSettings  the namespace's sysctls as the child read them
 * @param trials          its trials (empty for a blocking-connect measurement)
 * @param blockingConnect its blocking connect() measurement, or null
 * @param error           why it failed, or null
 * @param durationMs      how long it took, namespace set-up and clean-up included
 */
public record NamespaceVariant(String name, String namespace, Map<String, String> sysctls, String purpose,
                               KernelSettings kernelSettings, List<BacklogTrial> trials,
                               BlockingConnect blockingConnect, String error, double durationMs) {

    public NamespaceVariant {
        sysctls = Map.copyOf(sysctls);
        trials = trials == null ? List.of() : List.copyOf(trials);
    }
}

package org.ipclab.report.backlog;

import java.util.List;

/**
 * Everything one run of the listen() backlog experiment measured: the answer to the lab's second question
 * on this machine. Serialized as JSON by {@link BacklogJson} (schema {@value #SCHEMA}, documented in
 * docs/backlog.md); rendered by {@link BacklogSection}.
 *
 * @param schema          {@value #SCHEMA}
 * @param startedAt       ISO-8601 instant
 * @param durationS       wall time of the whole run
 * @param kernel          the kernel release (/proc/sys/kernel/osrelease)
 * @param java            the JVM that ran the experiment
 * @param loadBefore      /proc/loadavg (1 minute) when the run started: a busy machine delays this
 *                        process, and so the times it records (not the kernel's timers)
 * @param loadAfter       the same when it ended
 * @param kernelSettings  the sysctls that matter, read at the start
 * @param settings        how the experiment ran
 * @param javaBacklogs    what Java does to a backlog before the kernel sees it
 * @param synSchedule     when a waiting client retransmits its SYN and when a blocking connect() gives up,
 *                        derived from the sysctls
 * @param trials          one per backlog and arrival pattern
 * @param variants        the contrasting runs in private network namespaces (empty when skipped)
 * @param variantsSkipped why the variants did not run, or null
 * @param notes           anything the reader must know about this run
 */
public record BacklogReport(String schema, String startedAt, double durationS, String kernel, String java,
                            Double loadBefore, Double loadAfter,
                            KernelSettings kernelSettings, BacklogSettings settings, List<JavaBacklog> javaBacklogs,
                            SynSchedule synSchedule, List<BacklogTrial> trials, List<NamespaceVariant> variants,
                            String variantsSkipped, List<String> notes) {

    public static final String SCHEMA = "ipc-lab/backlog/v1";

    public BacklogReport {
        javaBacklogs = List.copyOf(javaBacklogs);
        trials = List.copyOf(trials);
        variants = variants == null ? List.of() : List.copyOf(variants);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }
}

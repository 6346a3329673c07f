package org.ipclab.comparison.backlog;

import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.ipclab.report.backlog.Arrival;
import org.ipclab.report.backlog.BacklogReport;
import org.ipclab.report.backlog.BacklogSettings;
import org.ipclab.report.backlog.BacklogTrial;
import org.ipclab.report.backlog.KernelSettings;
import org.ipclab.report.backlog.NamespaceVariant;
import org.ipclab.report.backlog.SynSchedule;
import org.ipclab.report.backlog.TrialSummary;

/**
 * The lab's second question, answered by experiment: "What happens if the number of incoming client
 * requests exceeds the second argument of the listen() function in the server?"
 *
 * <p>For every backlog B of the sweep and every arrival pattern, a server on 127.0.0.1 listens with
 * backlog B and does not accept; N clients connect; while they wait, the kernel's tables are read
 * (accept-queue length, each socket's TCP state, the ListenOverflows counters); then the server starts
 * accepting and echoing, and each client's fate is recorded: served, gave up, refused, reset. Where the run
 * has root and {@code ip netns}, the same is run again in private network namespaces with contrasting
 * sysctls. Nothing is assumed about the kernel: {@link org.ipclab.report.backlog.BacklogSection} explains
 * what was measured.
 *
 * <p>Entry points: {@link #runSweep(BacklogSettings, Consumer)} for {@code ./ipc-lab backlog} and
 * {@code compare}; {@link #runTrial} for one trial.
 */
public final class BacklogExperiment {

    private BacklogExperiment() {
    }

    /** The whole experiment with the given settings, quietly. */
    public static BacklogReport runSweep(BacklogSettings settings) throws IOException {
        return runSweep(settings, line -> { });
    }

    /**
     * The whole experiment: Java's backlog numbers, one trial per backlog and arrival pattern, and the
     * namespace variants when {@code settings.namespaceVariants()} and the machine allows them.
     *
     * @param progress receives one line per finished trial (for a terminal; not part of the results)
     */
    public static BacklogReport runSweep(BacklogSettings settings, Consumer<String> progress) throws IOException {
        return run(settings, progress, true);
    }

    /** The sweep without the namespace variants (what a child JVM inside a namespace runs). */
    static BacklogReport run(BacklogSettings settings, Consumer<String> progress, boolean allowVariants)
            throws IOException {
        requireLinux();
        Instant started = Instant.now();
        long startNs = System.nanoTime();
        KernelSettings kernel = Sysctls.read();
        Double loadBefore = Sysctls.loadAverage();
        List<String> notes = new ArrayList<>();
        if (!Ss.available()) {
            notes.add("ss (iproute2) was not found, so the kernel's effective backlog (Send-Q) could not be read "
                    + "back; install iproute2 to see it");
        }
        String nativeListen = NativeListen.unavailableReason();
        if (nativeListen != null) {
            notes.add("listen(2) could not be called directly (" + nativeListen + "); backlogs below 1 were "
                    + "skipped because Java would pass 50 instead");
        }

        warmUp();
        List<BacklogTrial> trials = new ArrayList<>();
        for (int backlog : settings.backlogs()) {
            if (backlog < 1 && nativeListen != null) {
                continue;
            }
            for (Arrival arrival : settings.arrivals()) {
                BacklogTrial trial = runTrial(backlog, arrival, settings.clientsFor(backlog), settings,
                        line -> progress.accept("backlog " + backlog + ", " + arrival.label() + ": " + line));
                trials.add(trial);
                progress.accept(describe(trial));
            }
        }

        List<NamespaceVariant> variants = List.of();
        String skipped = null;
        if (!allowVariants) {
            skipped = "not run: this is itself a namespace variant";
        } else if (!settings.namespaceVariants()) {
            skipped = "not requested";
        } else {
            skipped = NamespaceVariants.unavailableReason();
            if (skipped == null) {
                progress.accept("namespace variants: running " + NamespaceVariants.DEFAULT.size()
                        + " in private network namespaces ...");
                variants = NamespaceVariants.run(settings, NamespaceVariants.DEFAULT);
                for (NamespaceVariant v : variants) {
                    progress.accept("  " + v.name() + (v.error() != null ? ": FAILED: " + v.error()
                            : String.format(Locale.ROOT, ": done in %.1f s", v.durationMs() / 1000)));
                }
            }
        }

        SynSchedule schedule = SynSchedule.derive(orDefault(kernel.tcpSynRetries(), 6),
                orDefault(kernel.tcpSynLinearTimeouts(), 0));
        notes.add("Kernel counters (ListenOverflows, ...) count the whole network namespace: on a busy host "
                + "other programs' connections add to them. The namespace variants' counters are this "
                + "experiment's alone.");
        double durationS = (System.nanoTime() - startNs) / 1e9;
        return new BacklogReport(BacklogReport.SCHEMA, started.truncatedTo(ChronoUnit.MILLIS).toString(),
                Math.round(durationS * 100) / 100.0, Sysctls.kernelRelease(),
                System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")",
                loadBefore, Sysctls.loadAverage(), kernel, settings, JavaBacklogs.measure(), schedule, trials, variants, skipped, notes);
    }

    /** One trial: a listener with this backlog, {@code clients} clients arriving as {@code arrival} says. */
    public static BacklogTrial runTrial(int backlog, Arrival arrival, int clients, BacklogSettings settings)
            throws IOException {
        return runTrial(backlog, arrival, clients, settings, line -> { });
    }

    static BacklogTrial runTrial(int backlog, Arrival arrival, int clients, BacklogSettings settings,
                                 Consumer<String> started) throws IOException {
        requireLinux();
        try (TrialRun run = new TrialRun(backlog, arrival, clients, settings.connectTimeoutMs(),
                settings.acceptAfterMs(), settings.acceptEveryMs(), settings.staggerMs())) {
            return run.run(started);
        }
    }

    /**
     * One throwaway connection through the same code, so the first measured client does not pay for class
     * loading and the interpreter (tens of milliseconds on its connect time otherwise).
     */
    static void warmUp() throws IOException {
        try (TrialRun run = new TrialRun(1, Arrival.ALL_AT_ONCE, 1, 1_000, 0L, 0, 0)) {
            run.run();
        }
    }

    /** e.g. "backlog 2, one after another: 7 clients; 3 connected while the server waited ...". */
    static String describe(BacklogTrial t) {
        TrialSummary s = t.summary();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "backlog %d, %s: %d clients; %d connected while the server was not accepting (%d in its accept "
                        + "queue), %d still connecting",
                t.backlog(), t.arrival().label(), s.clients(), s.connected(), s.inAcceptQueue(), s.connecting()));
        if (t.acceptAfterMs() != null) {
            line.append(String.format(Locale.ROOT, "; then served %d, gave up %d", s.served(), s.gaveUp()));
        }
        if (s.refused() + s.reset() + s.failed() > 0) {
            line.append(String.format(Locale.ROOT, ", refused %d, reset %d, failed %d", s.refused(), s.reset(),
                    s.failed()));
        }
        return line.append(String.format(Locale.ROOT, " (%.1f s)", t.durationMs() / 1000)).toString();
    }

    private static int orDefault(Integer value, int fallback) {
        return value != null ? value : fallback;
    }

    private static void requireLinux() throws IOException {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("linux")
                || !TcpTable.PROC_NET_TCP.toFile().canRead()) {
            throw new IOException("the backlog experiment reads Linux's /proc/net/tcp, which this system does "
                    + "not have; run it on Linux");
        }
    }
}

package org.ipclab.report.backlog;

import java.util.List;
import java.util.Objects;

/**
 * How the backlog experiment runs; the defaults keep a whole sweep well under a minute.
 *
 * @param backlogs          the listen() backlogs to try, in order
 * @param clients           clients per trial; null means backlog + {@code extraClients}
 * @param extraClients      clients beyond the backlog when {@code clients} is null
 * @param connectTimeoutMs  each client's bound on connect(); after it the client gives up and closes
 * @param acceptAfterMs     when the server starts accepting, from the moment it listens; null: never
 * @param acceptEveryMs     a slow server: at most one accept() per this many ms; 0: as fast as it can
 * @param staggerMs         one-after-another arrival: the longest a client waits for the one before it
 * @param arrivals          the arrival patterns to run for every backlog
 * @param namespaceVariants run the contrasting sysctl variants in private network namespaces (root only)
 * @param variantBacklogs   the backlogs those variants try
 */
public record BacklogSettings(List<Integer> backlogs, Integer clients, int extraClients, long connectTimeoutMs,
                              Long acceptAfterMs, long acceptEveryMs, long staggerMs, List<Arrival> arrivals, boolean namespaceVariants,
                              List<Integer> variantBacklogs) {

    public static final List<Integer> DEFAULT_BACKLOGS = List.of(0, 1, 2, 4, 8, 16);
    public static final int DEFAULT_EXTRA_CLIENTS = 5;
    public static final long DEFAULT_CONNECT_TIMEOUT_MS = 3_000;
    /** Between the first SYN retransmission (1 s) and the second (2 s with tcp_syn_linear_timeouts, 3 s without). */
    public static final long DEFAULT_ACCEPT_AFTER_MS = 1_500;
    public static final long DEFAULT_STAGGER_MS = 100;
    public static final List<Integer> DEFAULT_VARIANT_BACKLOGS = List.of(2);
    /** The namespace variants' slow server: one accept() every this many ms, so a burst overflows it. */
    public static final long VARIANT_ACCEPT_EVERY_MS = 300;
    /** Clients per trial are capped: every client is a socket and a row in every table. */
    public static final int MAX_CLIENTS = 1_000;

    public BacklogSettings {
        backlogs = List.copyOf(backlogs);
        arrivals = List.copyOf(arrivals);
        variantBacklogs = List.copyOf(variantBacklogs);
        if (backlogs.isEmpty()) {
            throw new IllegalArgumentException("at least one backlog is needed");
        }
        if (arrivals.isEmpty()) {
            throw new IllegalArgumentException("at least one arrival pattern is needed");
        }
        if (clients != null && (clients < 1 || clients > MAX_CLIENTS)) {
            throw new IllegalArgumentException("clients must be 1-" + MAX_CLIENTS + ", not " + clients);
        }
        if (extraClients < 0) {
            throw new IllegalArgumentException("extraClients must be 0 or more, not " + extraClients);
        }
        if (connectTimeoutMs < 1) {
            throw new IllegalArgumentException("connectTimeoutMs must be positive, not " + connectTimeoutMs);
        }
        if (acceptAfterMs != null && acceptAfterMs < 0) {
            throw new IllegalArgumentException("acceptAfterMs must be 0 or more, not " + acceptAfterMs);
        }
        if (acceptEveryMs < 0) {
            throw new IllegalArgumentException("acceptEveryMs must be 0 or more, not " + acceptEveryMs);
        }
        if (staggerMs < 0) {
            throw new IllegalArgumentException("staggerMs must be 0 or more, not " + staggerMs);
        }
    }

    public static BacklogSettings defaults() {
        return new BacklogSettings(DEFAULT_BACKLOGS, null, DEFAULT_EXTRA_CLIENTS, DEFAULT_CONNECT_TIMEOUT_MS,
                DEFAULT_ACCEPT_AFTER_MS, 0, DEFAULT_STAGGER_MS, List.of(Arrival.values()), true, DEFAULT_VARIANT_BACKLOGS);
    }

    /** How many clients a trial with this backlog starts. */
    public int clientsFor(int backlog) {
        if (clients != null) {
            return clients;
        }
        return (int) Math.min(MAX_CLIENTS, Math.max(1L, (long) Math.max(backlog, 0) + extraClients));
    }

    public BacklogSettings withBacklogs(List<Integer> newBacklogs) {
        return new BacklogSettings(newBacklogs, clients, extraClients, connectTimeoutMs, acceptAfterMs, acceptEveryMs, staggerMs,
                arrivals, namespaceVariants, variantBacklogs);
    }

    public BacklogSettings withClients(Integer newClients) {
        return new BacklogSettings(backlogs, newClients, extraClients, connectTimeoutMs, acceptAfterMs, acceptEveryMs, staggerMs,
                arrivals, namespaceVariants, variantBacklogs);
    }

    public BacklogSettings withConnectTimeoutMs(long newTimeoutMs) {
        return new BacklogSettings(backlogs, clients, extraClients, newTimeoutMs, acceptAfterMs, acceptEveryMs, staggerMs,
                arrivals, namespaceVariants, variantBacklogs);
    }

    public BacklogSettings withAcceptAfterMs(Long newAcceptAfterMs) {
        return new BacklogSettings(backlogs, clients, extraClients, connectTimeoutMs, newAcceptAfterMs, acceptEveryMs, staggerMs,
                arrivals, namespaceVariants, variantBacklogs);
    }

    public BacklogSettings withAcceptEveryMs(long newAcceptEveryMs) {
        return new BacklogSettings(backlogs, clients, extraClients, connectTimeoutMs, acceptAfterMs, newAcceptEveryMs,
                staggerMs, arrivals, namespaceVariants, variantBacklogs);
    }

    public BacklogSettings withArrivals(List<Arrival> newArrivals) {
        return new BacklogSettings(backlogs, clients, extraClients, connectTimeoutMs, acceptAfterMs, acceptEveryMs, staggerMs,
                newArrivals, namespaceVariants, variantBacklogs);
    }

    public BacklogSettings withNamespaceVariants(boolean run, List<Integer> newVariantBacklogs) {
        return new BacklogSettings(backlogs, clients, extraClients, connectTimeoutMs, acceptAfterMs, acceptEveryMs, staggerMs,
                arrivals, run, Objects.requireNonNull(newVariantBacklogs));
    }
}

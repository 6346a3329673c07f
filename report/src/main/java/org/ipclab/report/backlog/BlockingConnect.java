package org.ipclab.report.backlog;

import java.util.List;

/**
 * A plain blocking connect() to a server whose accept queue stays full, measured in a private network
 * namespace with a small {@code tcp_syn_retries} so it ends quickly.
 *
 * @param synRetries       net.ipv4.tcp_syn_retries in that namespace
 * @param expected         when SYNs should go out and when the kernel should give up, derived from the
 *                         namespace's sysctls
 * @param synSentAtS       when the client's SYNs went out, measured: 0 for the first, then each time
 *                         /proc/net/tcp (sampled every 20 ms) showed its retransmission count rise
 * @param measuredS        how long connect() blocked; null if it did not end in time
 * @param outcome          what connect() ended with, e.g. "Connection timed out"
 */
public record BlockingConnect(int synRetries, SynSchedule expected, List<Double> synSentAtS, Double measuredS,
                              String outcome) {

    public BlockingConnect {
        synSentAtS = synSentAtS == null ? List.of() : List.copyOf(synSentAtS);
    }
}

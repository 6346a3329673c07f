package org.ipclab.report.backlog;

import java.util.ArrayList;
import java.util.List;

/**
 * When a connecting client retransmits its SYN and when its kernel gives up, derived from the sysctls (a
 * model, not a measurement).
 *
 * <p>Linux starts with a 1 s retransmission timeout. On kernels that have {@code tcp_syn_linear_timeouts}
 * (recent ones; 0 is assumed where the file is missing), the first that many
 * retransmissions keep it at 1 s, then it doubles. The kernel gives up at the first timer expiry at which
 * the time elapsed reaches what {@code tcp_syn_retries} retransmissions with pure doubling would take:
 * (2^(retries+1) − 1) s. So the number of SYNs actually sent can exceed {@code tcp_syn_retries}.
 *
 * @param synRetries     net.ipv4.tcp_syn_retries
 * @param linearTimeouts net.ipv4.tcp_syn_linear_timeouts (0 on kernels without it)
 * @param synSentAtS     when each SYN is sent, the first at 0
 * @param giveUpAfterS   when connect() fails with ETIMEDOUT
 */
public record SynSchedule(int synRetries, int linearTimeouts, List<Double> synSentAtS, double giveUpAfterS) {

    public SynSchedule {
        synSentAtS = List.copyOf(synSentAtS);
    }

    /** TCP_TIMEOUT_INIT: the first retransmission timeout. */
    public static final double INITIAL_RTO_S = 1.0;
    /** TCP_RTO_MAX: the timeout stops doubling here. */
    public static final double MAX_RTO_S = 120.0;

    public static SynSchedule derive(int synRetries, int linearTimeouts) {
        double budget = INITIAL_RTO_S * (Math.pow(2, synRetries + 1) - 1);
        List<Double> sent = new ArrayList<>();
        double t = 0;
        double rto = INITIAL_RTO_S;
        int retransmissions = 0;
        sent.add(0.0);
        while (true) {
            t += rto;
            if (t >= budget - 1e-9) {
                return new SynSchedule(synRetries, linearTimeouts, sent, t);
            }
            sent.add(t);
            retransmissions++;
            if (retransmissions > linearTimeouts) {
                rto = Math.min(rto * 2, MAX_RTO_S);
            }
        }
    }
}

package org.ipclab.report.backlog;

import java.util.Map;

/**
 * The kernel's view of one trial, read while the clients wait and before the server accepts anything.
 *
 * @param atMs          when it was read, from the moment the server listened
 * @param acceptQueue   connections waiting to be accepted: rx_queue of the LISTEN row in /proc/net/tcp
 * @param ssRecvQ       the same, as {@code ss -ltn} shows it (Recv-Q); null without ss
 * @param ssSendQ       the effective backlog, as {@code ss -ltn} shows it (Send-Q); null without ss
 * @param clientSockets the clients' own sockets by TCP state ("ESTABLISHED", "SYN_SENT", ...)
 * @param serverSockets the server's side of the clients' connections by state: "ESTABLISHED" rows are
 *                      finished connections in the accept queue, "SYN_RECV" rows are half-open ones
 * @param counterDeltas kernel counters (TcpExt.*, Tcp.*) since the trial started; they count the whole
 *                      network namespace, so on a busy host other programs add to them
 */
public record KernelView(double atMs, Integer acceptQueue, Integer ssRecvQ, Integer ssSendQ,
                         Map<String, Integer> clientSockets, Map<String, Integer> serverSockets,
                         Map<String, Long> counterDeltas) {
}

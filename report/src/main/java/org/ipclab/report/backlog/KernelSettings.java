package org.ipclab.report.backlog;

/**
 * The sysctls that decide what happens to connections beyond the backlog, as read from /proc/sys/net in the
 * network namespace the experiment ran in. A value is null when this system does not have that file.
 *
 * @param somaxconn            net.core.somaxconn: every listen() backlog is capped to this
 * @param tcpMaxSynBacklog     net.ipv4.tcp_max_syn_backlog: bound on half-open connections without syncookies
 * @param tcpAbortOnOverflow   net.ipv4.tcp_abort_on_overflow: 1 = answer a handshake's final ACK with RST when
 *                             the accept queue is full, 0 = drop it
 * @param tcpSyncookies        net.ipv4.tcp_syncookies: 0 off, 1 when the SYN queue overflows, 2 always
 * @param tcpSynRetries        net.ipv4.tcp_syn_retries: how long connect() keeps retransmitting its SYN
 * @param tcpSynackRetries     net.ipv4.tcp_synack_retries: how often the server retransmits a SYN-ACK
 * @param tcpSynLinearTimeouts net.ipv4.tcp_syn_linear_timeouts (recent kernels only): SYN retransmissions at a fixed
 *                             1 s interval before the exponential backoff starts
 */
public record KernelSettings(Integer somaxconn, Integer tcpMaxSynBacklog, Integer tcpAbortOnOverflow,
                             Integer tcpSyncookies, Integer tcpSynRetries, Integer tcpSynackRetries,
                             Integer tcpSynLinearTimeouts) {
}

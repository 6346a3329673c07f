package org.ipclab.report.model;

/**
 * One measurement across an emulated link between two network namespaces ({@code ./ipc-lab across}): client in host
 * A, echo server in host B, the link's round trip, rate and loss as configured.
 *
 * @param transport   tcp or udp
 * @param what        "round trip", "connect", "stream", "small writes, Nagle on", "small writes, TCP_NODELAY" (udp:
 *                    "round trip" only)
 * @param rttMs       the configured round trip of the link
 * @param rateMbit    the configured rate
 * @param lossPercent the configured chance that each packet is dropped, each way
 * @param sizeBytes   bytes per message (0 for connect)
 * @param p50         median (null for stream)
 * @param p99         99th percentile (null for stream)
 * @param throughput  echoed bytes per second while streaming (null otherwise)
 * @param retransmits TCP segments host A retransmitted during the measurement (-1 when unknown, and for udp)
 * @param remote      true when measured against a real second host ({@code compare --remote} and an agent there)
 * @param emulator    what made the link: "tun delay line" (user space) or "netem"
 * @param lost        udp: requests whose echo did not come back in time, of {@code sent} (null for tcp: it resends)
 * @param sent        udp: requests sent (null for tcp)
 */
public record NetworkResult(String transport, String what, double rttMs, double rateMbit, double lossPercent,
                            int sizeBytes, Quantity p50, Quantity p99, Quantity throughput, long retransmits,
                            boolean remote, String emulator, Long lost, Long sent) {
}

package org.ipclab.report.backlog;

import java.util.List;
import java.util.Map;

/**
 * One trial: a server listening with one backlog, not accepting, and clients arriving one way.
 *
 * @param backlog          the backlog asked for
 * @param listenBacklog    the number passed to listen(2) (Java turns a backlog below 1 into 50; the
 *                         experiment calls listen(2) itself to pass 0 unchanged when it can)
 * @param listenCall       how the listener was set up, e.g. "ServerSocketChannel.bind(address, 4)"
 * @param kernelBacklog    the backlog the kernel applies, read back with {@code ss -ltn} (Send-Q); null
 *                         without ss
 * @param arrival          how the clients arrived
 * @param clients          how many clients started
 * @param connectTimeoutMs each client's connect timeout
 * @param acceptAfterMs    when the server started accepting; null if it never did
 * @param acceptEveryMs    0: the server accepted as fast as it could; else one accept() per this many ms
 * @param acceptStartedMs  when the server actually began accepting (later than {@code acceptAfterMs} when
 *                         this process did not get the CPU in time); null if it never did
 * @param waiting          the kernel's view while the clients waited, before any accept()
 * @param counterDeltas    kernel counters over the whole trial (namespace-wide)
 * @param clientResults    every client, in start order
 * @param summary          the clients counted
 * @param durationMs       how long the trial took
 */
public record BacklogTrial(int backlog, int listenBacklog, String listenCall, Integer kernelBacklog, Arrival arrival,
                           int clients, long connectTimeoutMs, Long acceptAfterMs, long acceptEveryMs, Double acceptStartedMs, KernelView waiting,
                           Map<String, Long> counterDeltas, List<ClientResult> clientResults, TrialSummary summary,
                           double durationMs) {

    public BacklogTrial {
        clientResults = List.copyOf(clientResults);
    }

    /** The backlog the kernel applied: what ss read back, else what was passed to listen(2). */
    public int effectiveBacklog() {
        return kernelBacklog != null ? kernelBacklog : listenBacklog;
    }
}

package org.ipclab.report.backlog;

import java.util.List;

/**
 * One client of one trial: what its connect() did, what the kernel showed of it while it waited, and how it
 * ended. Times ending in {@code Ms} count from the moment the server listened, except {@code connectMs}.
 *
 * @param client            1-based, in the order the clients started
 * @param localPort         the client's ephemeral port (how the kernel tables name it)
 * @param startMs           when it called connect()
 * @param connect           what connect() came to
 * @param connectMs         how long connect() took to come to it, from this client's start; null if pending
 * @param error             the error text for failures, else null
 * @param clientState       its socket's state in the waiting view ("ESTABLISHED", "SYN_SENT", "CLOSED",
 *                          "NOT_STARTED")
 * @param serverState       the server side of its connection in the waiting view: "ESTABLISHED" (in the
 *                          accept queue), "SYN_RECV" (half-open) or "NONE" (the server kept nothing)
 * @param synRetransmits    its SYN retransmissions so far in the waiting view (/proc/net/tcp retrnsmt)
 * @param unackedBytes      bytes it had sent that the server had not acknowledged, in the waiting view
 * @param serverQueuedBytes bytes waiting in the server side's receive queue (sent, not yet read by anyone)
 * @param synRetransmitsAtMs when its SYN retransmission count was seen to rise (sampled every 100 ms)
 * @param halfOpenAtMs      first time (sampled every 100 ms) its connect() had succeeded but the server's
 *                          kernel held no finished connection for it; null if never seen
 * @param halfOpenServerState what the server held for it then: "NONE" (nothing: its final ACK was dropped)
 *                          or "SYN_RECV" (a half-open request waiting for an ACK); null if never seen
 * @param probeSent         it sent its probe message after connecting
 * @param acceptedAtMs      when the server's accept() returned its connection; null if never
 * @param echoAtMs          when its probe came back; null if never
 * @param fate              how it ended
 */
public record ClientResult(int client, int localPort, double startMs, ConnectOutcome connect, Double connectMs,
                           String error, String clientState, String serverState, Integer synRetransmits,
                           Integer unackedBytes, Integer serverQueuedBytes, List<Double> synRetransmitsAtMs,
                           Double halfOpenAtMs, String halfOpenServerState, boolean probeSent,
                           Double acceptedAtMs, Double echoAtMs, Fate fate) {

    public ClientResult {
        synRetransmitsAtMs = List.copyOf(synRetransmitsAtMs);
    }

    /** When connect() completed, from the moment the server listened; null unless it connected. */
    public Double connectedAtMs() {
        return connect == ConnectOutcome.CONNECTED && connectMs != null ? startMs + connectMs : null;
    }
}

package org.ipclab.report.backlog;

import java.util.List;

/**
 * One trial's clients counted: first as the waiting view saw them, then by how they ended. The waiting-view
 * counts add up: {@code connected = inAcceptQueue + serverSynRecv + clientOnly + connectedOther}; the fates
 * add up to {@code clients}.
 *
 * @param clients         clients started
 * @param connected       clients whose connect() had succeeded by the waiting view
 * @param inAcceptQueue   of those, the ones the server's kernel held as finished connections (accept queue)
 * @param serverSynRecv   of those, the ones the server's kernel held as half-open (SYN_RECV)
 * @param clientOnly      of those, the ones the server's kernel held nothing for: the client believes it is
 *                        connected, the server dropped the handshake's final ACK
 * @param connectedOther  of those, any the tables showed in another state
 * @param connecting      clients still in connect() (SYN_SENT) in the waiting view
 * @param failedEarly     clients that had already failed or given up by the waiting view
 * @param served          fate SERVED
 * @param gaveUp          fate GAVE_UP
 * @param refused         fate REFUSED
 * @param reset           fate RESET
 * @param failed          fate FAILED
 * @param unserved        fate UNSERVED
 */
public record TrialSummary(int clients, int connected, int inAcceptQueue, int serverSynRecv, int clientOnly,
                           int connectedOther, int connecting, int failedEarly, int served, int gaveUp, int refused,
                           int reset, int failed, int unserved) {

    /** Counts the clients; {@code waitingAtMs} is when the waiting view was read. */
    public static TrialSummary of(List<ClientResult> clients, double waitingAtMs) {
        int connected = 0;
        int queued = 0;
        int synRecv = 0;
        int clientOnly = 0;
        int other = 0;
        int connecting = 0;
        int failedEarly = 0;
        int[] fates = new int[Fate.values().length];
        for (ClientResult c : clients) {
            fates[c.fate().ordinal()]++;
            Double connectedAt = c.connectedAtMs();
            boolean endedBefore = c.connect() != ConnectOutcome.CONNECTED && c.connect() != ConnectOutcome.PENDING
                    && c.connectMs() != null && c.startMs() + c.connectMs() <= waitingAtMs;
            if (connectedAt != null && connectedAt <= waitingAtMs) {
                connected++;
                switch (c.serverState()) {
                    case "ESTABLISHED" -> queued++;
                    case "SYN_RECV" -> synRecv++;
                    case "NONE" -> clientOnly++;
                    default -> other++;
                }
            } else if (endedBefore) {
                failedEarly++;
            } else if ("SYN_SENT".equals(c.clientState())) {
                connecting++;
            }
        }
        return new TrialSummary(clients.size(), connected, queued, synRecv, clientOnly, other, connecting,
                failedEarly, fates[Fate.SERVED.ordinal()], fates[Fate.GAVE_UP.ordinal()],
                fates[Fate.REFUSED.ordinal()], fates[Fate.RESET.ordinal()], fates[Fate.FAILED.ordinal()],
                fates[Fate.UNSERVED.ordinal()]);
    }

    /** Every client has exactly one fate. */
    public int fatesTotal() {
        return served + gaveUp + refused + reset + failed + unserved;
    }
}

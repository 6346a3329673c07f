package org.ipclab.comparison.backlog;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.ipclab.report.backlog.KernelView;

/**
 * What the kernel says about a {@link TrialRun}'s sockets: /proc/net/tcp ({@link TcpTable}), {@code ss} and the
 * TcpExt counters, read while clients wait. The client side's rows are those whose remote port is the listener's,
 * the server side's those whose local port is.
 */
final class TrialWatch {

    private final int port;
    private final TrialClient[] clients;
    private final Map<Integer, TrialClient> clientsByPort;
    private final long t0;

    /** {@code clients} fills as they start (null until then); times are ms since {@code t0}. */
    TrialWatch(int port, TrialClient[] clients, Map<Integer, TrialClient> clientsByPort, long t0) {
        this.port = port;
        this.clients = clients;
        this.clientsByPort = clientsByPort;
        this.t0 = t0;
    }

    /**
     * Every {@value TrialRun#SAMPLE_EVERY_MS} ms, while a client is connecting or connected but not yet accepted: the kernel's table shows
     * when a waiting client retransmits its SYN, and whether a client whose connect() succeeded has a
     * finished connection on the server's side at all.
     */
    void sample(long now, int started) {
        boolean worthIt = false;
        for (int i = 0; i < started; i++) {
            TrialClient c = clients[i];
            worthIt |= c.state == TrialClient.State.CONNECTING
                    || (c.state == TrialClient.State.AWAITING_ECHO && c.acceptedNs == 0 && c.halfOpenNs == 0);
        }
        if (!worthIt) {
            return;
        }
        List<TcpTable.Row> rows;
        try {
            rows = TcpTable.read();
        } catch (IOException e) {
            return;   // no /proc/net/tcp: the retransmission times stay empty
        }
        Map<Integer, String> serverSide = new HashMap<>();
        for (TcpTable.Row row : rows) {
            if (row.remotePort() == port && row.state().equals("SYN_SENT")) {
                TrialClient c = clientsByPort.get(row.localPort());
                if (c != null && row.retransmits() > c.retransmitsSeen) {
                    c.retransmitsSeen = row.retransmits();
                    c.retransmitsAtMs.add(TrialRun.msSince(t0, now));
                }
            } else if (row.localPort() == port && !row.state().equals("LISTEN")) {
                serverSide.put(row.remotePort(), row.state());
            }
        }
        for (int i = 0; i < started; i++) {
            TrialClient c = clients[i];
            if (c.state == TrialClient.State.AWAITING_ECHO && c.acceptedNs == 0 && c.halfOpenNs == 0) {
                String server = serverSide.getOrDefault(c.localPort, "NONE");
                if (!server.equals("ESTABLISHED")) {
                    c.halfOpenNs = now;
                    c.halfOpenServerState = server;
                }
            }
        }
    }

    KernelView readKernelView(long now, Map<String, Long> countersBefore) throws IOException {
        List<TcpTable.Row> rows;
        try {
            rows = TcpTable.read();
        } catch (IOException e) {
            rows = List.of();
        }
        Map<String, Long> counters = NetCounters.delta(countersBefore, NetCounters.read());
        Ss.ListenQueues ss = Ss.listen(port).orElse(null);
        Integer acceptQueue = null;
        Map<String, Integer> clientSide = new TreeMap<>();
        Map<String, Integer> serverSide = new TreeMap<>();
        Map<Integer, TcpTable.Row> serverByClientPort = new HashMap<>();
        Map<Integer, TcpTable.Row> clientRowByPort = new HashMap<>();
        for (TcpTable.Row row : rows) {
            if (row.localPort() == port && row.state().equals("LISTEN")) {
                acceptQueue = row.rxQueue();
            } else if (row.localPort() == port && clientsByPort.containsKey(row.remotePort())) {
                serverByClientPort.put(row.remotePort(), row);
                serverSide.merge(row.state(), 1, Integer::sum);
            } else if (row.remotePort() == port && clientsByPort.containsKey(row.localPort())) {
                clientRowByPort.put(row.localPort(), row);
                clientSide.merge(row.state(), 1, Integer::sum);
            }
        }
        for (TrialClient c : clients) {
            if (c == null) {
                continue;
            }
            TcpTable.Row mine = clientRowByPort.get(c.localPort);
            TcpTable.Row theirs = serverByClientPort.get(c.localPort);
            c.viewClientState = mine != null ? mine.state() : "CLOSED";
            c.viewServerState = theirs != null ? theirs.state() : "NONE";
            c.viewRetransmits = mine != null ? mine.retransmits() : null;
            c.viewUnacked = mine != null && mine.state().equals("ESTABLISHED") ? mine.txQueue() : null;
            c.viewServerQueued = theirs != null && theirs.state().equals("ESTABLISHED") ? theirs.rxQueue() : null;
        }
        return new KernelView(TrialRun.msSince(t0, now), acceptQueue, ss == null ? null : ss.recvQ(), ss == null ? null : ss.sendQ(),
                clientSide, serverSide, counters);
    }
}

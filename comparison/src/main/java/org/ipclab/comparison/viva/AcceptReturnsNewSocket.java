package org.ipclab.comparison.viva;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.ipclab.report.model.VivaAnswer;

/**
 * accept(2) returns a new socket, with a new descriptor, for each connection; the listening socket stays as it was
 * and keeps listening. Both have the same local port: the kernel tells a connection's segments from the
 * listener's by the whole four-tuple (local and remote address and port). Seen from outside through
 * /proc/self/fd (descriptor → socket inode) and /proc/net/tcp or {@code ss -tan} (inode → state and addresses).
 */
final class AcceptReturnsNewSocket implements VivaExperiment {

    @Override
    public String id() {
        return "accept-new-socket";
    }

    @Override
    public String question() {
        return "What does accept() return, and why is it a new socket?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        try (Loopback.Connection c = Loopback.Connection.open()) {
            int port = Loopback.port(c.listener());
            int clientPort = Loopback.port(c.client());
            ProcNet.Row listening = ProcNet.find(r -> r.localPort() == port && r.state().equals(ProcNet.LISTEN))
                    .orElseThrow(() -> new IOException("no LISTEN row for port " + port + " in " + ProcNet.TCP));
            ProcNet.Row connection = ProcNet.find(r -> r.localPort() == port && r.remotePort() == clientPort
                            && r.state().equals(ProcNet.ESTABLISHED))
                    .orElseThrow(() -> new IOException("no row for the accepted connection in " + ProcNet.TCP));
            String listenerFd = m.put("listenerFd", descriptor(listening));
            String connectionFd = m.put("connectionFd", descriptor(connection));
            String listenerSocket = m.put("listenerSocket", "socket:[" + listening.inode() + "]");
            String connectionSocket = m.put("connectionSocket", "socket:[" + connection.inode() + "]");
            String listenerRow = m.put("listenerRow", ProcNet.brief(listening));
            String connectionRow = m.put("connectionRow", ProcNet.brief(connection));
            m.put("port", port);
            m.put("clientPort", clientPort);
            List<String> ss = ProcNet.ss("sport", "=", ":" + port);
            m.put("ss", ss.isEmpty() ? "(ss not available)" : String.join(" | ", ss));
            return m.answer(this, "A new connected socket for that one client, with a descriptor of its own, while the "
                    + "listening socket goes on accepting others. Here the listener was descriptor " + listenerFd + " ("
                    + listenerSocket + "; its /proc/net/tcp row " + listenerRow + ", state 0A = LISTEN) and accept() "
                    + "returned descriptor " + connectionFd + " (" + connectionSocket + "; row " + connectionRow
                    + ", state 01 = ESTABLISHED, to port " + clientPort + "). Both have local port " + port + "; the kernel "
                    + "tells them apart by the peer's address, so one listener can serve many clients, each on its own "
                    + "socket that the server reads, writes and closes alone.");
        }
    }

    private static String descriptor(ProcNet.Row row) throws IOException {
        List<Integer> fds = ProcSelf.descriptorsOf("socket:[" + row.inode() + "]");
        if (fds.isEmpty()) {
            throw new IOException("no descriptor of this process links to socket:[" + row.inode() + "]");
        }
        return fds.size() == 1 ? fds.get(0).toString() : fds.toString();
    }
}

package org.ipclab.comparison.viva;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

import org.ipclab.core.ProcFiles;
import org.ipclab.report.model.VivaAnswer;

/**
 * Why the lab's client never calls bind(): connect(2) on an unbound socket makes the kernel bind it first, to the
 * machine's address towards the peer and a free port from net.ipv4.ip_local_port_range (an "ephemeral" port).
 * getsockname(2) (Java: getLocalAddress) shows which. The server sees the same port as the client's address: it
 * is the number in the lab server's "Connected by ('127.0.0.1', 54321)".
 */
final class ClientNeedsNoBind implements VivaExperiment {

    static final Path PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    @Override
    public String id() {
        return "ephemeral-port";
    }

    @Override
    public String question() {
        return "Why does the client not call bind()?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        String[] range = ProcFiles.readIfPresent(PORT_RANGE).orElseThrow(
                () -> new IOException("cannot read " + PORT_RANGE)).split("\\s+");
        int low = Integer.parseInt(range[0]);
        int high = Integer.parseInt(range[1]);
        try (ServerSocketChannel listener = Loopback.listen();
             SocketChannel client = SocketChannel.open(StandardProtocolFamily.INET)) {
            String before = m.put("localAddressBeforeConnect", client.getLocalAddress() == null ? "none (unbound)"
                    : client.getLocalAddress().toString());
            client.connect(listener.getLocalAddress()); // connect(2): the kernel binds the socket, then sends SYN
            int port = Loopback.port(client); // getsockname(2)
            try (SocketChannel accepted = listener.accept()) {
                int seen = Loopback.remotePort(accepted); // getpeername(2) on the server's side
                String serverPort = m.put("serverPort", Loopback.port(listener));
                String clientPort = m.put("clientPort", port);
                m.put("serverSawClientPort", seen);
                String portRange = m.put("portRange", low + "-" + high);
                boolean inside = port >= low && port <= high;
                m.put("inRange", inside);
                return m.answer(this, "Because connect() binds the socket itself when it is unbound: the kernel "
                        + "chooses the local address (the one that routes to the server) and a free ephemeral port. "
                        + "In this run the client's address before connect was " + before + "; after connecting to "
                        + "port " + serverPort + ", getsockname() gave port " + clientPort + ", "
                        + (inside ? "inside" : "outside") + " net.ipv4.ip_local_port_range (" + portRange + "), "
                        + "and the server's accept() saw the client at that same port " + seen + ". Only a server needs "
                        + "a fixed, known port, so only the server binds.");
            }
        }
    }
}

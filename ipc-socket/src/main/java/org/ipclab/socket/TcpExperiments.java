package org.ipclab.socket;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

import org.ipclab.core.Errnos;
import org.ipclab.core.ProcFiles;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.Probes;

/** The property experiments for TCP over the loopback interface (and, with root, between two network namespaces). */
final class TcpExperiments extends SocketExperiments {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Override
    public String transport() {
        return TcpDescriptor.INSTANCE.id();
    }

    /** The second process of {@link #survivesCrash} (hold) and of the namespace probe (echo, connect). */
    @Override
    public void child(String mode, java.util.List<String> args) throws IOException {
        switch (mode) {
            case SocketChild.HOLD -> SocketChild.hold(SocketChild.tcpListener(args.get(0)));
            case SocketChild.ECHO -> SocketChild.echoOne(SocketChild.tcpListener(args.get(0)));
            case SocketChild.CONNECT -> SocketChild.connectAndEcho(args.get(0), Integer.parseInt(args.get(1)),
                    Integer.parseInt(args.get(2)));
            default -> throw new IllegalArgumentException("tcp has no child mode '" + mode + "'");
        }
    }

    @Override
    ServerSocketChannel listen(Path dir) throws IOException {
        // AF_INET for an IPv4 address, so the sockets appear in /proc/net/tcp (Java's default is AF_INET6).
        ServerSocketChannel listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
        try {
            /* bind(2) to port 0: the kernel picks a free ephemeral port. listen(2): from here the kernel completes
             * handshakes by itself and queues the connections until accept(2). Watch: `ss -ltn`. Man page: tcp(7). */
            listener.bind(new InetSocketAddress(LOOPBACK, 0), 64);
            return listener;
        } catch (IOException e) {
            listener.close();
            throw e;
        }
    }

    @Override
    SocketChannel openClient() throws IOException {
        return SocketChannel.open(StandardProtocolFamily.INET);
    }

    @Override
    String[] holdingServer(Path dir) {
        return new String[] {SocketChild.HOLD, LOOPBACK.getHostAddress()};
    }

    @Override
    SocketAddress announced(String ready, Path dir) {
        return new InetSocketAddress(LOOPBACK, Integer.parseInt(ready));
    }

    @Override
    void beforeBoundaryWrites(SocketChannel client) throws IOException {
        // TCP_NODELAY: each write(2) leaves at once as its own segment; the boundaries are still lost at the reader.
        client.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }

    @Override
    String bufferSettings(SocketChannel writer, SocketChannel reader) throws IOException {
        return socketBuffers(writer, reader) + "; net.ipv4.tcp_wmem = " + Probes.sysctl("net/ipv4/tcp_wmem")
                + " and tcp_rmem = " + Probes.sysctl("net/ipv4/tcp_rmem") + " (min, default, max: TCP grows its buffers "
                + "within them)";
    }
    /**
     * /proc/net/tcp lists every IPv4 TCP socket of this network namespace, one line each: local and remote address
     * as hex ip:port, state, then tx_queue:rx_queue. rx_queue of the server's accepted socket is what the kernel
     * received for it and nobody has read yet (`ss -tn` shows the same as Recv-Q).
     */
    @Override
    String unreadAtServer(SocketChannel client) {
        try {
            int clientPort = ((InetSocketAddress) client.getLocalAddress()).getPort();
            int serverPort = ((InetSocketAddress) client.getRemoteAddress()).getPort();
            String local = String.format(Locale.ROOT, ":%04X", serverPort);
            String remote = String.format(Locale.ROOT, ":%04X", clientPort);
            for (String line : ProcFiles.read(Path.of("/proc/net/tcp")).split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 4 && f[1].endsWith(local) && f[2].endsWith(remote)) {
                    long rx = Long.parseLong(f[4].substring(f[4].indexOf(':') + 1), 16);
                    return " (/proc/net/tcp: " + rx + " B received by the server's kernel socket and not read)";
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // the /proc detail only adds to the evidence; the experiment stands without it
        }
        return "";
    }

    /** A refused connect: what failed, and how long the kernel took to say so. */
    record Refusal(String outcome, long elapsedMicros, int port) {
        boolean refused() {
            return outcome.startsWith("ECONNREFUSED");
        }
    }

    Refusal refusal() throws IOException {
        int port;
        // A port that was free a moment ago: bind one, note it, close it (no connection, so no TIME_WAIT).
        try (ServerSocketChannel probe = ServerSocketChannel.open(StandardProtocolFamily.INET)) {
            probe.bind(new InetSocketAddress(LOOPBACK, 0));
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        try (SocketChannel client = openClient()) {
            /* connect(2) to a port nobody listens on: the kernel on the far side answers the SYN with RST at once
             * and connect fails with ECONNREFUSED. Watch: `strace -e trace=connect`, `tcpdump -i lo port <port>`. */
            long start = System.nanoTime();
            try {
                SocketIo.connect(client, new InetSocketAddress(LOOPBACK, port), SocketIo.TIMEOUT);
                return new Refusal("connected (another process took the port meanwhile)", (System.nanoTime() - start) / 1000, port);
            } catch (IOException e) {
                long elapsedMicros = (System.nanoTime() - start) / 1000;
                return new Refusal(Errnos.describe(e), elapsedMicros, port);
            }
        }
    }

    @Override
    public Cell senderWithNoPeer(Path dir) throws IOException {
        Refusal refusal = refusal();
        return Cell.measured(refusal.refused() ? "ECONNREFUSED in " + refusal.elapsedMicros() + " µs" : refusal.outcome(),
                "connect(2) to " + LOOPBACK.getHostAddress() + ":" + refusal.port() + ", where nobody listens, failed with "
                        + refusal.outcome() + " after " + refusal.elapsedMicros() + " µs: the kernel answered the "
                        + "SYN with RST. Nothing is sent or kept; the client must retry or give up.");
    }

    @Override
    public Cell whoCanConnect(Path dir) throws IOException {
        return NetnsReachability.probe();
    }

    @Override
    String describePeers(Set<String> peers) {
        return "; the kernel told them apart by their " + peers.size() + " different client ports";
    }
}

package org.ipclab.udp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.ipclab.core.EchoClient;
import org.ipclab.core.ServerSettings;
import org.ipclab.core.experiments.Cell;
import org.ipclab.core.experiments.TransportExperiments;

/** The property experiments for UDP over the loopback interface: each a few datagrams between sockets of this JVM. */
final class UdpExperiments implements TransportExperiments {

    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    /** The small receive buffer of the loss experiment (the kernel doubles what it is asked for; see socket(7)). */
    static final int SMALL_RCVBUF_BYTES = 4 * 1024;
    static final int BLAST_DATAGRAMS = 1000;
    static final int BLAST_DATAGRAM_BYTES = 1024;
    private static final long WAIT_MS = 2000;

    @Override
    public String transport() {
        return UdpDescriptor.INSTANCE.id();
    }

    private static DatagramChannel bound() throws IOException {
        DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
            channel.bind(new InetSocketAddress(LOOPBACK, 0));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    /** Waits up to WAIT_MS for one datagram; null when none came. */
    private static SocketAddress receive(DatagramChannel channel, ByteBuffer into, long waitMs) throws IOException {
        channel.configureBlocking(false);
        long deadline = System.nanoTime() + waitMs * 1_000_000L;
        while (true) {
            SocketAddress from = channel.receive(into);
            if (from != null || System.nanoTime() > deadline) {
                return from;
            }
            Thread.onSpinWait();
            try {
                Thread.sleep(0, 200_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
    }

    @Override
    public Cell direction(Path dir) throws IOException {
        try (DatagramChannel a = bound(); DatagramChannel b = bound()) {
            a.send(ByteBuffer.wrap(new byte[] {1}), b.getLocalAddress());
            ByteBuffer got = ByteBuffer.allocate(8);
            SocketAddress fromA = receive(b, got, WAIT_MS);
            b.send(ByteBuffer.wrap(new byte[] {2}), fromA);
            SocketAddress fromB = receive(a, got.clear(), WAIT_MS);
            boolean both = fromA != null && fromB != null;
            return Cell.measured(both ? "both ways on one socket" : "one way only (the reply was lost)",
                    "Socket A (" + a.getLocalAddress() + ") sent a datagram to B (" + b.getLocalAddress() + "); B sent one"
                            + " back to the address recvfrom(2) reported, on the same socket: "
                            + (both ? "both arrived" : "the reply did not arrive within " + WAIT_MS + " ms")
                            + ". A UDP socket sends and receives; which side is the 'server' is only who binds a known port.");
        }
    }

    @Override
    public Cell messageBoundaries(Path dir) throws IOException {
        int[] sizes = {5, 300, 1};
        try (DatagramChannel sender = bound(); DatagramChannel receiver = bound()) {
            for (int size : sizes) {
                sender.send(ByteBuffer.allocate(size), receiver.getLocalAddress());
            }
            List<Integer> got = new ArrayList<>();
            ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
            for (int i = 0; i < sizes.length; i++) {
                buffer.clear();
                if (receive(receiver, buffer, WAIT_MS) == null) {
                    break;
                }
                got.add(buffer.position());
            }
            // a datagram read into a smaller buffer is cut, and the rest is gone (recvfrom(2) MSG_TRUNC)
            sender.send(ByteBuffer.allocate(1024), receiver.getLocalAddress());
            ByteBuffer small = ByteBuffer.allocate(100);
            receive(receiver, small, WAIT_MS);
            int cut = small.position();
            receiver.configureBlocking(false);
            boolean restGone = receiver.receive(ByteBuffer.allocate(2048)) == null;
            boolean kept = got.equals(List.of(5, 300, 1));
            return Cell.measured(kept ? "kept: 3 sends, 3 receives of 5, 300, 1 B" : "lost? receives " + got,
                    "Three sendto(2) calls of 5, 300 and 1 bytes; three recvfrom(2) calls with a 64 KiB buffer returned "
                            + got + " bytes: each datagram arrives whole or not at all, never merged or split. A 1,024-B"
                            + " datagram read into a 100-B buffer returned " + cut + " bytes"
                            + (restGone ? " and the other " + (1024 - cut) + " were discarded" : "")
                            + ": the reader must offer room for the largest datagram.");
        }
    }

    /** What the blast into a small receive buffer left. */
    record Loss(int sent, int arrived, int rcvbufBytes, Optional<Long> rcvbufErrors) {
        int lost() {
            return sent - arrived;
        }
    }

    /** Sends {@link #BLAST_DATAGRAMS} datagrams as fast as it can to a socket with a 4 KiB SO_RCVBUF that reads only afterwards. */
    static Loss blast() throws IOException {
        try (DatagramChannel receiver = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel sender = bound()) {
            /* setsockopt(SO_RCVBUF): the most this socket's receive queue may hold (the kernel doubles the value for
             * its bookkeeping and counts each datagram's whole buffer, not only its payload). When the queue is full
             * the kernel drops the next datagram and counts it in /proc/net/snmp "Udp: ... RcvbufErrors"; the sender
             * is told nothing. Watch: `ss -uamn` (skmem: r = queued, rb = the limit, d = drops). */
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, SMALL_RCVBUF_BYTES);
            receiver.bind(new InetSocketAddress(LOOPBACK, 0));
            int rcvbuf = receiver.getOption(StandardSocketOptions.SO_RCVBUF);
            SocketAddress to = receiver.getLocalAddress();
            Optional<Long> before = UdpSnmp.counter("RcvbufErrors");
            ByteBuffer datagram = ByteBuffer.allocateDirect(BLAST_DATAGRAM_BYTES);
            for (int i = 0; i < BLAST_DATAGRAMS; i++) {
                datagram.clear();
                sender.send(datagram, to);   // never blocks for the receiver: UDP has no flow control
            }
            Optional<Long> after = UdpSnmp.counter("RcvbufErrors");
            receiver.configureBlocking(false);
            ByteBuffer into = ByteBuffer.allocateDirect(64 * 1024);
            int arrived = 0;
            while (receiver.receive(into.clear()) != null) {
                arrived++;
            }
            Optional<Long> delta = before.isPresent() && after.isPresent()
                    ? Optional.of(after.get() - before.get()) : Optional.empty();
            return new Loss(BLAST_DATAGRAMS, arrived, rcvbuf, delta);
        }
    }

    @Override
    public Cell capacityBeforeWriterBlocks(Path dir) throws IOException {
        Loss loss = blast();
        String counted = loss.rcvbufErrors().map(d -> "; the kernel's RcvbufErrors (/proc/net/snmp, Udp:) rose by " + d)
                .orElse("; /proc/net/snmp was not readable here");
        return Cell.measured("never blocks: " + loss.lost() + " of " + loss.sent() + " datagrams dropped",
                "A socket with SO_RCVBUF " + SMALL_RCVBUF_BYTES + " B asked (" + loss.rcvbufBytes() + " B applied) did not"
                        + " read while another sent " + loss.sent() + " datagrams of " + BLAST_DATAGRAM_BYTES + " B as fast"
                        + " as it could; every sendto(2) returned at once. Then " + loss.arrived() + " were waiting and "
                        + loss.lost() + " were gone" + counted + ". The writer never blocks for the reader: what does not"
                        + " fit is dropped, silently for the sender.");
    }

    @Override
    public Cell senderWithNoPeer(Path dir) throws IOException {
        int port;
        try (DatagramChannel probe = bound()) {
            port = ((InetSocketAddress) probe.getLocalAddress()).getPort();
        }
        try (DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET)) {
            client.connect(new InetSocketAddress(LOOPBACK, port));
            /* send(2) to a port nobody binds succeeds: the datagram leaves. The far kernel answers with an ICMP
             * "port unreachable", which a connected socket reports on its next call as ECONNREFUSED (an unconnected
             * one never hears of it). Watch: `tcpdump -i lo udp or icmp`, `strace -e trace=network`. */
            int sent = client.write(ByteBuffer.allocate(16));
            client.configureBlocking(false);
            String outcome;
            long start = System.nanoTime();
            try {
                SocketAddress got = receive(client, ByteBuffer.allocate(16), 500);
                outcome = got == null ? "nothing came back in 500 ms" : "a datagram came back (someone took the port)";
            } catch (PortUnreachableException e) {
                outcome = "ECONNREFUSED on the next recv(2), " + (System.nanoTime() - start) / 1000 + " µs later";
            }
            return Cell.measured("send succeeds; " + (outcome.startsWith("ECONNREFUSED") ? "ECONNREFUSED later" : outcome),
                    "On a socket connected to 127.0.0.1:" + port + ", where nothing is bound, send(2) of 16 B returned "
                            + sent + ": nothing is checked before a datagram leaves. Then " + outcome + ": the ICMP port"
                            + " unreachable reached this connected socket. An unconnected sender would never know.");
        }
    }

    @Override
    public Cell survivesCrash(Path dir) throws IOException {
        int port;
        int queued;
        try (DatagramChannel server = bound(); DatagramChannel client = bound()) {
            port = ((InetSocketAddress) server.getLocalAddress()).getPort();
            for (int i = 0; i < 3; i++) {
                client.send(ByteBuffer.allocate(100), server.getLocalAddress());
            }
            queued = 3;
            // the server "crashes" here: its socket closes with three datagrams unread, as the kernel closes a dead process's sockets
        }
        try (DatagramChannel restarted = DatagramChannel.open(StandardProtocolFamily.INET)) {
            restarted.bind(new InetSocketAddress(LOOPBACK, port));
            SocketAddress got = receive(restarted, ByteBuffer.allocate(200), 200);
            return Cell.measured(got == null ? "no: unread datagrams die with the socket" : "one arrived (?)",
                    queued + " datagrams waited unread in a server socket's receive queue when it closed (what the kernel"
                            + " does to every socket of a process that dies); a new socket bound to the same port "
                            + port + " found " + (got == null ? "none" : "one") + ". Nothing is stored outside a socket:"
                            + " the sender is not told.");
        }
    }

    @Override
    public Cell whoCanConnect(Path dir) throws IOException {
        try (DatagramChannel server = bound(); DatagramChannel a = bound(); DatagramChannel b = bound()) {
            a.send(ByteBuffer.allocate(1), server.getLocalAddress());
            b.send(ByteBuffer.allocate(1), server.getLocalAddress());
            Set<SocketAddress> from = new HashSet<>();
            for (int i = 0; i < 2; i++) {
                SocketAddress s = receive(server, ByteBuffer.allocate(8), WAIT_MS);
                if (s != null) {
                    from.add(s);
                }
            }
            return Cell.measured("any process that can reach the address; no connection, no backlog",
                    "A socket bound to " + server.getLocalAddress() + " received datagrams from " + from.size()
                            + " senders it never accepted: UDP has no connection, so no listen(2), no accept(2) and no"
                            + " backlog - the lab's second question (more clients than the backlog) does not arise; the"
                            + " receive buffer is the only limit, and past it datagrams are dropped. Bound to 127.0.0.1"
                            + " only this host reaches it; bound to another address, any host that can route to it.");
        }
    }

    @Override
    public Cell manyClients(Path dir) throws IOException {
        int clients = 4;
        try (UdpEchoServer server = UdpEchoServer.open(new InetSocketAddress(LOOPBACK, 0), ServerSettings.defaults())) {
            int echoed = 0;
            InetSocketAddress address = UdpEndpoints.parse(server.endpoint());
            List<EchoClient> open = new ArrayList<>();
            try {
                for (int c = 0; c < clients; c++) {
                    open.add(UdpEchoClient.connect(address, Duration.ofSeconds(3)));
                }
                for (int c = 0; c < clients; c++) {
                    byte[] sent = {(byte) c, 1, 2, 3};
                    byte[] back = new byte[4];
                    open.get(c).roundTrip(sent, back, 4);
                    if (java.util.Arrays.equals(sent, back)) {
                        echoed++;
                    }
                }
            } finally {
                for (EchoClient client : open) {
                    client.close();
                }
            }
            return Cell.measured("one socket serves all: " + echoed + "/" + clients + " echoed",
                    clients + " clients, each its own connected socket on its own port, sent a datagram to one server"
                            + " socket (" + server.endpoint() + "), which answered each to the address recvfrom(2) gave:"
                            + " " + echoed + " got their own echo. The server has one socket and one thread, and no"
                            + " state per client: nothing to accept, nothing to close.");
        }
    }
}

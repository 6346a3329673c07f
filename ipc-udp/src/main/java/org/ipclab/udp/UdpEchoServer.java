package org.ipclab.udp;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.ipclab.core.EchoServer;
import org.ipclab.core.ServerSettings;

/**
 * The UDP echo server: one unconnected socket, one thread, recvfrom then sendto back to whoever sent. There is no
 * accept and no per-client socket, so this one socket serves every client; the kernel keeps no state per client.
 */
final class UdpEchoServer implements EchoServer {

    private final DatagramChannel channel;
    private final String endpoint;
    private final ServerSettings settings;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicLong datagrams = new AtomicLong();
    /** The sources seen, to log each new client once; bounded, as a server must not grow with its traffic. */
    private final Set<SocketAddress> seen = new LinkedHashSet<>();

    private UdpEchoServer(DatagramChannel channel, String endpoint, ServerSettings settings) {
        this.channel = channel;
        this.endpoint = endpoint;
        this.settings = settings;
    }

    static UdpEchoServer open(InetSocketAddress address, ServerSettings settings) throws IOException {
        // AF_INET for an IPv4 address, so the socket shows in /proc/net/udp (Java's default is an AF_INET6 socket).
        DatagramChannel channel = DatagramChannel.open(address.getAddress() instanceof Inet6Address
                ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET);
        try {
            /* bind(2): from here the kernel delivers every datagram sent to this address and port into this socket's
             * receive queue, from any sender, whether or not we are reading. There is no listen(2) and no accept(2):
             * nothing to connect to, so no backlog. Port 0 lets the kernel pick a free ephemeral port.
             * Watch it: `ss -uanp 'sport = :PORT'` (Recv-Q: bytes queued unread), /proc/net/udp, udp(7). */
            channel.bind(address);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
        UdpEchoServer server = new UdpEchoServer(channel, UdpEndpoints.format(bound), settings);
        Thread thread = new Thread(server::serve, "udp-echo-" + bound.getPort());
        thread.setDaemon(true);
        thread.start();
        return server;
    }

    private void serve() {
        // room for the largest datagram: a shorter buffer would silently cut a datagram to its size (see recvfrom(2))
        ByteBuffer datagram = ByteBuffer.allocateDirect(64 * 1024);
        try {
            while (!closed.get()) {
                datagram.clear();
                /* recvfrom(2): sleeps until a datagram is queued, then returns exactly one, whole, and who sent it.
                 * Watch: `strace -f -e trace=network` shows recvfrom(..., {sin_port=htons(P), sin_addr=...}). */
                SocketAddress from = channel.receive(datagram);
                datagram.flip();
                noteClient(from);
                try {
                    /* sendto(2) back to the source address: one datagram of the same bytes. If the client has gone,
                     * the datagram is dropped (its kernel answers ICMP port unreachable; an unconnected socket does
                     * not report it), and we serve the next one. */
                    channel.send(datagram, from);
                    datagrams.incrementAndGet();
                } catch (ClosedChannelException e) {
                    throw e;
                } catch (IOException e) {
                    settings.log().accept("Could not echo to " + from + ": " + e.getMessage());
                }
            }
        } catch (ClosedChannelException ignored) {
            // close() closed the socket: the blocked recvfrom returns, and the server stops
        } catch (IOException e) {
            if (!closed.get()) {
                settings.log().accept("udp server stopped: " + e.getMessage());
            }
        } finally {
            stopped.countDown();
        }
    }

    private void noteClient(SocketAddress from) {
        if (seen.add(from)) {
            settings.log().accept("Datagram from " + from + " (a new client; the same socket serves them all)");
            if (seen.size() > settings.maxConnections()) {
                seen.clear();   // a log line, not state: forgetting clients only means logging them again
            }
        }
    }

    /** The banner's detail: where, and the receive buffer that bounds how much can wait unread. */
    String describe() {
        try {
            return "one socket for every client, SO_RCVBUF " + channel.getOption(java.net.StandardSocketOptions.SO_RCVBUF)
                    + " B (datagrams beyond it are dropped and counted in /proc/net/snmp Udp: RcvbufErrors)";
        } catch (IOException e) {
            return "one socket for every client";
        }
    }

    long datagramsEchoed() {
        return datagrams.get();
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    @Override
    public void awaitTermination() throws InterruptedException {
        stopped.await();
    }

    @Override
    public void close() throws IOException {
        if (closed.compareAndSet(false, true)) {
            channel.close();
        }
    }
}

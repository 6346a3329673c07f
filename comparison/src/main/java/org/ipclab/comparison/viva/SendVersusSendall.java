package org.ipclab.comparison.viva;

import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import org.ipclab.report.model.VivaAnswer;

/**
 * Why the lab's client calls sendall(), not send(): send(2) returns how many bytes the kernel took, which can be
 * fewer than asked when the socket's send buffer (and the peer's receive buffer behind it) fills up: always so for
 * a non-blocking socket, and for a blocking one when a signal or timeout interrupts it. sendall() loops until all
 * is gone; so does Java's blocking write.
 */
final class SendVersusSendall implements VivaExperiment {

    static final int BYTES = 8 << 20;
    static final int DRAIN_BUFFER = 256 * 1024;

    @Override
    public String id() {
        return "send-vs-sendall";
    }

    @Override
    public String question() {
        return "Why does the lab's client call sendall() and not send()?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        try (Loopback.Connection c = Loopback.Connection.open()) {
            String asked = m.count("askedBytes", BYTES);
            String sendBuffer = m.count("sendBufferBytes", c.client().getOption(StandardSocketOptions.SO_SNDBUF));
            String receiveBuffer = m.count("peerReceiveBufferBytes", c.server().getOption(StandardSocketOptions.SO_RCVBUF));
            c.client().configureBlocking(false);
            ByteBuffer all = ByteBuffer.allocate(BYTES);
            String taken = m.count("oneNonBlockingSendTook", c.client().write(all)); // send(2), the peer not reading
            String next = m.count("nextSendTook", c.client().write(all)); // buffers full: EAGAIN, which Java returns as 0
            int clientPort = Loopback.port(c.client());
            int serverPort = Loopback.port(c.server());
            ProcNet.Row clientRow = ProcNet.find(r -> r.localPort() == clientPort && r.remotePort() == serverPort).orElseThrow(
                    () -> new java.io.IOException("no /proc/net/tcp row for the client's port " + clientPort));
            ProcNet.Row serverRow = ProcNet.find(r -> r.localPort() == serverPort && r.remotePort() == clientPort).orElseThrow(
                    () -> new java.io.IOException("no /proc/net/tcp row for the server's side of port " + clientPort));
            String queued = m.count("clientSendQueueBytes", clientRow.txQueue());
            String unread = m.count("peerReceiveQueueBytes", serverRow.rxQueue());
            c.client().configureBlocking(true);
            Background<Long> drain = Background.start("viva reader", () -> drain(c, BYTES));
            all.clear();
            c.client().write(all); // blocking: returns when the kernel has taken all of it, like sendall()
            String blocking = m.count("oneBlockingWriteTook", BYTES - all.remaining());
            c.client().shutdownOutput();
            m.count("peerRead", drain.join());
            return m.answer(this, "Because send() may take only part of the data and return the count, leaving the rest "
                    + "to the caller; sendall() calls send() again until every byte is gone. Here one non-blocking send of "
                    + asked + " bytes to a peer that was not reading took only " + taken + ", what fitted into the two "
                    + "kernel buffers: /proc/net/tcp then showed the peer holding " + unread + " bytes received but "
                    + "unread, and the client " + queued + " bytes not yet acknowledged (SO_RCVBUF and SO_SNDBUF read " + receiveBuffer + " and "
                    + sendBuffer + " before the send; the kernel tunes both as the connection runs); the next send took " + next
                    + ". A blocking write of the same " + asked
                    + " bytes, with the peer reading, took " + blocking + " in one call: the loop sendall() does by hand.");
        }
    }

    /** Reads everything the client sends until end of stream (both sends); returns how many bytes came. */
    private static long drain(Loopback.Connection c, long atLeast) throws java.io.IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(DRAIN_BUFFER);
        long total = 0;
        int n;
        while ((n = c.server().read(buffer)) >= 0) {
            total += n;
            buffer.clear();
        }
        if (total < atLeast) {
            throw new java.io.IOException("the reader got " + total + " bytes, fewer than the " + atLeast + " written");
        }
        return total;
    }
}

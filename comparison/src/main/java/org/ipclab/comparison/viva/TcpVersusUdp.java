package org.ipclab.comparison.viva;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.model.VivaAnswer;

/**
 * TCP vs UDP, shown with the same three sends on each: a UDP echo over loopback keeps every datagram whole and
 * separate, TCP hands the reader one stream of bytes. Then UDP's size limit: an IPv4 datagram carries at most
 * 65,535 − 20 (IP header) − 8 (UDP header) = 65,507 bytes of payload.
 */
final class TcpVersusUdp implements VivaExperiment {

    static final int[] SENDS = {100, 200, 300};
    static final int MAX_UDP_PAYLOAD = 65_507;
    /** Lets the three TCP segments reach the receiver's queue before it reads. */
    static final long SETTLE_MS = 20;

    @Override
    public String id() {
        return "tcp-vs-udp";
    }

    @Override
    public String question() {
        return "How does TCP differ from UDP?";
    }

    @Override
    public VivaAnswer run(Path dir) throws Exception {
        Measured m = new Measured();
        String sends = m.put("sends", join(SENDS));
        List<Integer> udpReceives = new ArrayList<>();
        List<Integer> udpEchoes = new ArrayList<>();
        String tooBig;
        try (DatagramChannel server = DatagramChannel.open(StandardProtocolFamily.INET);
             DatagramChannel client = DatagramChannel.open(StandardProtocolFamily.INET)) {
            /* socket(AF_INET, SOCK_DGRAM) + bind(2): no listen, no accept, no connection: any socket may send a
             * datagram to this address. connect(2) on the client only fixes the default destination. */
            server.bind(new InetSocketAddress(Loopback.ADDRESS, 0));
            client.connect(server.getLocalAddress());
            ByteBuffer buffer = ByteBuffer.allocate(MAX_UDP_PAYLOAD + 1);
            for (int size : SENDS) {
                client.write(ByteBuffer.allocate(size)); // sendto(2): one datagram, whole or not at all
            }
            for (int i = 0; i < SENDS.length; i++) {
                buffer.clear();
                SocketAddress from = server.receive(buffer); // recvfrom(2): exactly one datagram per call
                udpReceives.add(buffer.position());
                buffer.flip();
                server.send(buffer, from);
            }
            for (int i = 0; i < SENDS.length; i++) {
                buffer.clear();
                udpEchoes.add(client.read(buffer));
            }
            client.write(ByteBuffer.allocate(MAX_UDP_PAYLOAD));
            buffer.clear();
            server.receive(buffer);
            m.count("largestDatagramBytes", buffer.position());
            try {
                client.write(ByteBuffer.allocate(MAX_UDP_PAYLOAD + 1));
                tooBig = "sent";
            } catch (IOException e) {
                tooBig = Errnos.describe(e); // EMSGSIZE: the kernel refuses it before anything is sent
            }
        }
        String received = m.put("udpReceives", join(udpReceives));
        m.put("udpEchoes", join(udpEchoes));
        m.put("oversizedSend", tooBig);
        List<Integer> tcpReads = tcpReads();
        String tcp = m.put("tcpReads", join(tcpReads));
        String largest = m.get("largestDatagramBytes");
        return m.answer(this, "TCP is a connection (connect, accept, a handshake) carrying one reliable, ordered stream "
                + "of bytes; UDP sends separate datagrams with no connection, no retransmission and no ordering. In "
                + "this run three sends of " + sends + " bytes arrived over UDP as " + udpReceives.size()
                + " datagrams of " + received + " bytes, one per receive, and came back the same way; over TCP the "
                + "same three writes were read as " + tcpReads.size() + (tcpReads.size() == 1 ? " read" : " reads")
                + " of " + tcp + " bytes: a stream keeps no boundaries. A UDP datagram of " + largest
                + " bytes went through, one byte more was refused with " + tooBig + ".");
    }

    /** The same three writes on a TCP connection, then the reads that take them, each asking for up to 64 KiB. */
    private static List<Integer> tcpReads() throws IOException, InterruptedException {
        try (Loopback.Connection c = Loopback.Connection.open()) {
            c.client().setOption(StandardSocketOptions.TCP_NODELAY, true); // each write leaves as its own segment
            for (int size : SENDS) {
                c.client().write(ByteBuffer.allocate(size));
            }
            Thread.sleep(SETTLE_MS);
            int total = 0;
            for (int size : SENDS) {
                total += size;
            }
            List<Integer> reads = new ArrayList<>();
            ByteBuffer into = ByteBuffer.allocate(64 * 1024);
            for (int got = 0; got < total; ) {
                into.clear();
                int n = c.server().read(into);
                if (n < 0) {
                    throw new IOException("the TCP peer closed after " + got + " of " + total + " bytes");
                }
                reads.add(n);
                got += n;
            }
            return reads;
        }
    }

    static String join(int[] values) {
        List<Integer> list = new ArrayList<>();
        for (int v : values) {
            list.add(v);
        }
        return join(list);
    }

    static String join(List<Integer> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }
}

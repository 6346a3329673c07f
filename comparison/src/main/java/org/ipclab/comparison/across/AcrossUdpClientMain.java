package org.ipclab.comparison.across;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Locale;

/**
 * The UDP measuring client, run inside host A ({@code ip netns exec A java ... AcrossUdpClientMain HOST PORT COUNT
 * WAIT_MS SIZE...}): round trips of each size against ipc-lab's udp echo server in host B, one JSON line per size.
 * UDP does not resend: a datagram the link drops (or the echo of it) is simply gone. So each request carries its
 * number in its first 8 bytes, the client waits at most WAIT_MS for the echo of that number, and a request whose
 * echo did not come is counted as lost; an echo that comes late (of an earlier number) is thrown away. Watch the
 * loss on host B with {@code ip netns exec B nstat -az Udp*}.
 */
public final class AcrossUdpClientMain {

    /** The first bytes of every request: its number, so that a late echo is not taken for the current one. */
    static final int NUMBER_BYTES = Long.BYTES;

    private AcrossUdpClientMain() {
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        long waitMs = Long.parseLong(args[3]);
        try (DatagramSocket socket = new DatagramSocket()) {
            /* connect(2) on a UDP socket sends nothing: it fixes the peer, so send() needs no address and the kernel
             * drops datagrams from anyone else. */
            socket.connect(server);
            long number = 0;
            for (int a = 4; a < args.length; a++) {
                int size = Math.max(NUMBER_BYTES, Integer.parseInt(args[a]));
                byte[] request = new byte[size];
                DatagramPacket out = new DatagramPacket(request, size);
                DatagramPacket in = new DatagramPacket(new byte[size + 1], size + 1);
                double[] rtts = new double[count];
                int got = 0;
                int lost = 0;
                for (int i = 0; i < count; i++) {
                    number++;
                    ByteBuffer.wrap(request).putLong(0, number);
                    long start = System.nanoTime();
                    /* send(2): one datagram, one IP packet (fragments above the MTU) - no handshake, no resend. */
                    socket.send(out);
                    if (awaitEcho(socket, in, number, start + waitMs * 1_000_000L)) {
                        rtts[got++] = (System.nanoTime() - start) / 1e6;
                    } else {
                        lost++;
                    }
                }
                System.out.println(line(size, Arrays.copyOf(rtts, got), count, lost));
            }
        }
    }

    /** Receives datagrams until the echo of {@code number} or the deadline; false when it did not come. */
    private static boolean awaitEcho(DatagramSocket socket, DatagramPacket in, long number, long deadlineNs)
            throws IOException {
        while (true) {
            long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                return false;
            }
            /* recv(2), bounded by SO_TIMEOUT: the time left for this request's echo. */
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, leftMs));
            in.setLength(in.getData().length);
            try {
                socket.receive(in);
            } catch (SocketTimeoutException e) {
                return false;
            }
            if (in.getLength() >= NUMBER_BYTES && ByteBuffer.wrap(in.getData()).getLong(0) == number) {
                return true;   // else: the late echo of an earlier request, thrown away
            }
        }
    }

    private static String line(int size, double[] ms, int sent, int lost) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        String p = sorted.length == 0 ? "" : String.format(Locale.ROOT, ",\"p50Ms\":%.3f,\"p99Ms\":%.3f",
                AcrossClientMain.percentile(sorted, 50), AcrossClientMain.percentile(sorted, 99));
        return String.format(Locale.ROOT, "{\"what\":\"rtt\",\"transport\":\"udp\",\"sizeBytes\":%d,\"samples\":%d,"
                + "\"sent\":%d,\"lost\":%d%s}", size, ms.length, sent, lost, p);
    }
}

package org.ipclab.comparison.across;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The measuring client, run inside host A ({@code ip netns exec A java ... AcrossClientMain HOST PORT COUNT SIZE...}):
 * connect times, then round trips of each size against the echo server in host B, one JSON line each on stdout.
 * /proc/net/snmp read here is host A's own (a namespace has its own counters), so its RetransSegs are this client's.
 */
public final class AcrossClientMain {

    static final int CONNECT_TIMEOUT_MS = 2_000;
    static final int READ_TIMEOUT_MS = 10_000;
    static final int CONNECTS = 5;

    private AcrossClientMain() {
    }

    public static void main(String[] args) throws IOException {
        InetSocketAddress server = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
        int count = Integer.parseInt(args[2]);
        double[] connects = new double[CONNECTS];
        for (int i = 0; i < CONNECTS; i++) {
            try (Socket socket = new Socket()) {
                long start = System.nanoTime();
                /* connect(2): SYN out, SYN-ACK back: one round trip of the link before the call returns. */
                socket.connect(server, CONNECT_TIMEOUT_MS);
                connects[i] = (System.nanoTime() - start) / 1e6;
            } catch (IOException e) {
                System.out.println("{\"what\":\"connect\",\"error\":\"" + e.getClass().getSimpleName() + ": "
                        + String.valueOf(e.getMessage()).replace('"', '\'') + "\"}");
                return;
            }
        }
        System.out.println(line("connect", 0, connects, 0));
        try (Socket socket = new Socket()) {
            socket.connect(server, CONNECT_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int a = 3; a < args.length; a++) {
                int size = Integer.parseInt(args[a]);
                byte[] message = new byte[size];
                byte[] back = new byte[size];
                Arrays.fill(message, (byte) 'x');
                double[] rtts = new double[count];
                long retransBefore = retransmits();
                for (int i = 0; i < count; i++) {
                    long start = System.nanoTime();
                    out.write(message);
                    out.flush();
                    for (int got = 0; got < size; ) {
                        int n = in.read(back, got, size - got);
                        if (n < 0) {
                            throw new IOException("the server closed the connection after " + got + " of " + size + " bytes");
                        }
                        got += n;
                    }
                    rtts[i] = (System.nanoTime() - start) / 1e6;
                }
                System.out.println(line("rtt", size, rtts, retransmits() - retransBefore));
            }
        }
        smallWrites(server, false, count);
        smallWrites(server, true, count);
        if (STREAM_MS > 0) {
            stream(server, 0);
            stream(server, FIXED_RECEIVE_BUFFER);
        }
    }

    /** Streaming time in ms, from the system property ipclab.across.streamMs (0: none). */
    static final long STREAM_MS = Long.getLong("ipclab.across.streamMs", 3_000);
    static final int STREAM_CHUNK = 64 * 1024;
    static final int SMALL_PIECE = 10;
    /**
     * The receive buffer of the second stream, set before connect(2) so that the window scale fits it: the window
     * this client advertises stays near it, and the echo can go no faster than one window per round trip.
     */
    static final int FIXED_RECEIVE_BUFFER = 64 * 1024;

    /**
     * Write, write, read: two small pieces, then the reply to both. With Nagle's algorithm on (TCP_NODELAY off, the
     * default) the kernel holds the second piece until the first is acknowledged: here the echo of the first piece
     * carries that ACK, so the pattern costs two round trips instead of one. Against a server that answers only
     * after the whole request, the ACK would wait for the delayed-ACK timer (about 40 ms on Linux) instead.
     */
    private static void smallWrites(InetSocketAddress server, boolean noDelay, int count) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(server, CONNECT_TIMEOUT_MS);
            /* setsockopt(2) TCP_NODELAY: send every write at once instead of coalescing small ones (tcp(7)). */
            socket.setTcpNoDelay(noDelay);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] piece = new byte[SMALL_PIECE];
            double[] ms = new double[count];
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                out.write(piece);
                out.write(piece);
                in.readNBytes(2 * SMALL_PIECE);
                ms[i] = (System.nanoTime() - start) / 1e6;
            }
            System.out.println(line(noDelay ? "small-writes-nodelay" : "small-writes-nagle", 2 * SMALL_PIECE, ms, 0));
        }
    }

    /**
     * Writes 64 KiB chunks for STREAM_MS while another thread reads the echo; the echoed bytes per second. With
     * {@code receiveBuffer} 0 the kernel autotunes the buffers (tcp_rmem); otherwise SO_RCVBUF is fixed first.
     */
    private static void stream(InetSocketAddress server, int receiveBuffer) throws IOException {
        try (Socket socket = new Socket()) {
            if (receiveBuffer > 0) {
                /* setsockopt(2) SO_RCVBUF before connect(2): turns autotuning off for this socket; the kernel doubles
                 * the value for its bookkeeping (socket(7)) and advertises about half of that as the window. */
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.connect(server, CONNECT_TIMEOUT_MS);
            socket.setSoTimeout(READ_TIMEOUT_MS);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long[] received = new long[1];
            long retransBefore = retransmits();
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[STREAM_CHUNK];
                try {
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        synchronized (received) {
                            received[0] += n;
                        }
                    }
                } catch (IOException ignored) {
                    // the socket was closed under us at the end: the count so far is the result
                }
            }, "across-stream-reader");
            reader.setDaemon(true);
            reader.start();
            byte[] chunk = new byte[STREAM_CHUNK];
            long start = System.nanoTime();
            long warmEnd = start + 500_000_000L;
            long warmBytes = -1;
            long end = start + STREAM_MS * 1_000_000L;
            long measureStart = 0;
            while (System.nanoTime() < end) {
                out.write(chunk);
                if (warmBytes < 0 && System.nanoTime() > warmEnd) {
                    synchronized (received) {
                        warmBytes = received[0];
                    }
                    measureStart = System.nanoTime();
                }
            }
            long bytes;
            synchronized (received) {
                bytes = received[0];
            }
            double seconds = (System.nanoTime() - measureStart) / 1e9;
            double mbit = (bytes - Math.max(warmBytes, 0)) * 8 / seconds / 1e6;
            System.out.println(String.format(Locale.ROOT, "{\"what\":\"%s\",\"sizeBytes\":%d,\"mbitPerSecond\":%.3f,"
                    + "\"sendBufferBytes\":%d,\"receiveBufferBytes\":%d,\"retransmits\":%d}",
                    receiveBuffer > 0 ? "stream-fixed-window" : "stream", receiveBuffer > 0 ? receiveBuffer : STREAM_CHUNK, mbit,
                    socket.getSendBufferSize(), socket.getReceiveBufferSize(), retransmits() - retransBefore));
        }
    }

    private static String line(String what, int size, double[] ms, long retransmits) {
        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        return String.format(Locale.ROOT, "{\"what\":\"%s\",\"sizeBytes\":%d,\"samples\":%d,\"p50Ms\":%.3f,"
                + "\"p99Ms\":%.3f,\"retransmits\":%d}", what, size, ms.length, percentile(sorted, 50),
                percentile(sorted, 99), retransmits);
    }

    static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    /** TCP segments this namespace has retransmitted (Tcp: RetransSegs in /proc/net/snmp), or -1. */
    static long retransmits() {
        try {
            String[] lines = Files.readString(Path.of("/proc/net/snmp")).split("\n");
            for (int i = 0; i + 1 < lines.length; i++) {
                if (lines[i].startsWith("Tcp:") && lines[i + 1].startsWith("Tcp:")) {
                    String[] names = lines[i].split("\\s+");
                    String[] values = lines[i + 1].split("\\s+");
                    for (int k = 0; k < names.length; k++) {
                        if (names[k].equals("RetransSegs")) {
                            return Long.parseLong(values[k]);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no counter: reported as -1
        }
        return -1;
    }
}

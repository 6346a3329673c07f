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

package org.ipclab.comparison.viva;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.ipclab.core.ProcFiles;

/**
 * The kernel's table of IPv4 TCP sockets, /proc/net/tcp (proc(5)), and {@code ss}, which prints the same sockets
 * decoded. One row per socket: {@code sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid
 * timeout inode}, addresses as hex ADDRESS:PORT. The inode ties a row to a descriptor: /proc/PID/fd/N links to
 * {@code socket:[inode]}.
 */
final class ProcNet {

    static final Path TCP = Path.of("/proc/net/tcp");
    static final String LISTEN = "0A";
    static final String ESTABLISHED = "01";
    static final String TIME_WAIT = "06";

    private static final long SS_WAIT_MS = 2_000;

    /**
     * One row, fields as the kernel prints them. For a connection, {@code txQueue} is bytes written but not yet
     * acknowledged by the peer (sent or still waiting to be sent), {@code rxQueue} bytes received but not yet read;
     * for a LISTEN row rxQueue is the accept queue's length. {@code timer} is "tr:when": tr 3 is the TIME_WAIT
     * timer, when is the time left in clock ticks (USER_HZ, 100 a second).
     */
    record Row(String localAddress, String remoteAddress, int localPort, int remotePort, String state, long txQueue,
               long rxQueue, String timer, long inode, String line) {
    }

    private ProcNet() {
    }

    static List<Row> tcp() throws IOException {
        return parse(ProcFiles.read(TCP));
    }

    static Optional<Row> find(Predicate<Row> wanted) throws IOException {
        return tcp().stream().filter(wanted).findFirst();
    }

    static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 10 || !f[0].endsWith(":") || f[0].equals("sl")) {
                continue;
            }
            try {
                String[] queues = f[4].split(":");
                rows.add(new Row(f[1], f[2], port(f[1]), port(f[2]), f[3], Long.parseLong(queues[0], 16),
                        Long.parseLong(queues[1], 16), f[5], Long.parseLong(f[9]), line.trim()));
            } catch (RuntimeException ignored) {
                // a row in a format this parser does not know (a future kernel): the others still count
            }
        }
        return rows;
    }

    private static int port(String addressAndPort) {
        return Integer.parseInt(addressAndPort.substring(addressAndPort.indexOf(':') + 1), 16);
    }

    /** The row's first five fields, e.g. "0100007F:9C41 0100007F:D1F0 01": what a reader needs to see. */
    static String brief(Row row) {
        return row.localAddress() + " " + row.remoteAddress() + " " + row.state();
    }

    /**
     * {@code ss -tan <filter>} (iproute2, ss(8)), e.g. filter "sport = :40000": the lines it printed, header
     * dropped; empty when ss is not installed or did not answer within two seconds.
     */
    static List<String> ss(String... filter) {
        if (!onPath("ss")) {
            return List.of();
        }
        List<String> command = new ArrayList<>(List.of("ss", "-tan"));
        command.addAll(List.of(filter));
        Process ss = null;
        try {
            ss = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            if (!ss.waitFor(SS_WAIT_MS, TimeUnit.MILLISECONDS)) {
                return List.of();
            }
            return new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().skip(1)
                    .map(l -> l.trim().replaceAll("\\s+", " ")).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            return List.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of();
        } finally {
            if (ss != null) {
                ss.destroyForcibly();
            }
        }
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}

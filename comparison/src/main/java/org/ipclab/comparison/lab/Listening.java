package org.ipclab.comparison.lab;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

import org.ipclab.core.ProcFiles;

/**
 * Whether a socket LISTENs on 127.0.0.1:port, read from the kernel's socket tables rather than by connecting
 * (a test connection would be a client of the lab's server and make it print a "Connected by" line).
 *
 * <p>/proc/net/tcp lists IPv4 sockets, /proc/net/tcp6 IPv6 ones: Java opens an IPv6 socket even for 127.0.0.1
 * and binds it to ::ffff:127.0.0.1 (an IPv4 address inside an IPv6 one), so the lab's Java server is in tcp6 and
 * the lab's Python one (AF_INET) in tcp. The address column is hex: 0100007F:FF98 is 127.0.0.1:65432; state 0A is
 * LISTEN (include/net/tcp_states.h). {@code ss -tln} shows the same, decoded.
 */
final class Listening {

    private static final Path TCP = Path.of("/proc/net/tcp");
    private static final Path TCP6 = Path.of("/proc/net/tcp6");

    private Listening() {
    }

    static boolean now(int port) {
        String local = String.format(Locale.ROOT, "0100007F:%04X", port);
        String rows = ProcFiles.readIfPresent(TCP).orElse("") + "\n" + ProcFiles.readIfPresent(TCP6).orElse("");
        for (String row : rows.split("\n")) {
            String[] f = row.trim().split("\\s+");
            if (f.length > 3 && f[1].endsWith(local) && f[3].equals("0A")) {
                return true;
            }
        }
        return false;
    }

    /** Polls until the port listens, the server process ends, or the time is up. */
    static boolean await(int port, PrintingChild server, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (now(port)) {
                return true;
            }
            if (!server.isAlive()) {
                return false;
            }
            Thread.sleep(10);
        }
        return now(port);
    }
}

package org.ipclab.comparison.backlog;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Reads a listening socket's two queues with {@code ss -ltn 'sport = :PORT'} (iproute2, ss(8)): Recv-Q is
 * how many finished connections wait to be accepted, Send-Q is the backlog the kernel applies. Only ss shows
 * the second number: /proc/net/tcp has no column for it (ss asks the kernel over netlink, sock_diag(7)).
 */
final class Ss {

    /** Recv-Q and Send-Q of a LISTEN socket. */
    record ListenQueues(int recvQ, int sendQ) {
    }

    private static final long WAIT_MS = 3_000;

    private Ss() {
    }

    /** Whether ss is on the PATH. */
    static boolean available() {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "ss"))) {
                return true;
            }
        }
        return false;
    }

    /** The queues of the socket listening on this TCP port, or empty when ss is missing or shows none. */
    static Optional<ListenQueues> listen(int port) {
        if (!available()) {
            return Optional.empty();
        }
        Process ss = null;
        try {
            ss = new ProcessBuilder(List.of("ss", "-ltn", "sport", "=", ":" + port))
                    .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            if (!ss.waitFor(WAIT_MS, TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
            return parse(new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8), port);
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (ss != null) {
                ss.destroyForcibly();
            }
        }
    }

    /** Lines like "LISTEN 3      2      127.0.0.1:40385 0.0.0.0:*" (a header line may come first). */
    static Optional<ListenQueues> parse(String output, int port) {
        for (String line : output.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length >= 4 && f[0].equals("LISTEN") && f[3].endsWith(":" + port)) {
                try {
                    return Optional.of(new ListenQueues(Integer.parseInt(f[1]), Integer.parseInt(f[2])));
                } catch (NumberFormatException ignored) {
                    // not the line we look for
                }
            }
        }
        return Optional.empty();
    }
}

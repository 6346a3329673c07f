package org.ipclab.comparison.models;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.ipclab.comparison.nativefloor.NativeServers;
import org.ipclab.core.ForkedPeer;
import org.ipclab.core.ServeMain;
import org.ipclab.core.Transports;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.ServerModelResult;
import org.ipclab.socket.ServerModel;

/**
 * The server designs side by side: for each {@link ServerModel}, the TCP echo server in a process of its own, and
 * 1, 10, 100, 1,000 (10,000 with {@code --full}) clients at once against it ({@link ManyClients}), each sending 64 B
 * echoes. Per point: echoes per second, the median and p99 of an echo (waiting for the server included), and the
 * server's peak resident memory and thread count, read from {@code /proc/<pid>/status} while the clients run.
 *
 * <p>The servers listen with a backlog of {@value #BACKLOG} (the kernel caps it at net.core.somaxconn), so every
 * client waits in the accept queue rather than retransmitting its SYN: the sweep compares the designs, and the
 * backlog experiment shows what a small backlog does.
 */
public final class ServerModelSweep {

    /** The transport whose server designs the sweep compares (ipc-socket's {@link ServerModel}s are TCP's). */
    public static final String TRANSPORT = "tcp";
    static final int BACKLOG = 4096;
    static final Duration POINT_LIMIT = Duration.ofSeconds(20);

    /** The sweep's settings: the client counts and the echoes each point makes in all. */
    public record Settings(List<Integer> clients, int echoesPerPoint, int minimumEchoesEach) {
        public static Settings forMode(String mode) {
            return switch (mode) {
                case "quick" -> new Settings(List.of(1, 10, 100), 2_000, 5);
                case "full" -> new Settings(List.of(1, 10, 100, 1_000, 10_000), 20_000, 10);
                default -> new Settings(List.of(1, 10, 100, 1_000), 10_000, 10);
            };
        }

        int echoesEach(int clientCount) {
            return Math.max(minimumEchoesEach, echoesPerPoint / clientCount);
        }

        /** A rough time for the progress bar: server start, warm-up, and the points. */
        public double seconds(int models) {
            return models * (1.5 + clients.size() * 1.0);
        }
    }

    private ServerModelSweep() {
    }

    /** The models this JVM can run, and a note for each it cannot. */
    public static List<ServerModel> runnable(Consumer<String> notes) {
        List<ServerModel> models = new ArrayList<>();
        for (ServerModel model : ServerModel.values()) {
            model.unavailableReason().ifPresentOrElse(
                    why -> notes.accept("Server model '" + model.id() + "' was not measured: " + why + "."),
                    () -> models.add(model));
        }
        return models;
    }

    /** Runs every point of {@code model}; a point that fails is left out with a note. */
    public static List<ServerModelResult> run(ServerModel model, Settings settings, Consumer<String> notes)
            throws IOException {
        ForkedPeer.Options options = ForkedPeer.Options.defaults()
                .withOptions(Map.of(ServerModel.OPTION, model.id(), ServeMain.BACKLOG_OPTION, String.valueOf(BACKLOG)))
                .withStderr(Redirect.DISCARD);   // a thousand "Connected by" lines are not the report's business
        try (ForkedPeer server = ForkedPeer.start(Transports.byId(ServerModelSweep.TRANSPORT), "127.0.0.1:0", options)) {
            // hold finished clients only where every client gets a thread or the selector: an iterative server or a
            // fixed pool serves a few at a time, and held clients would keep the rest from ever being served
            boolean hold = model == ServerModel.THREADS || model == ServerModel.NIO || model == ServerModel.VIRTUAL
                    || model == ServerModel.HYBRID;
            return points(model.id(), address(server.endpoint()), server.pid(), hold, settings, notes);
        }
    }

    /**
     * The same sweep against the C floor's server of one design ({@code native/ipclab_servers.c}: "iterative" or
     * "epoll"), recorded as model "c-iterative" or "c-epoll".
     */
    public static List<ServerModelResult> runNative(NativeServers servers, String design, Settings settings,
                                                    Consumer<String> notes) throws IOException {
        try (NativeServers.Server server = servers.start(design, BACKLOG)) {
            return points("c-" + design, server.address(), server.pid(), !design.equals("iterative"), settings, notes);
        }
    }

    /** Every point against one running server ({@code hold}: it serves clients concurrently). */
    private static List<ServerModelResult> points(String model, InetSocketAddress address, long pid, boolean hold,
                                                  Settings settings, Consumer<String> notes) {
        List<ServerModelResult> points = new ArrayList<>();
        try {
            ManyClients.run(address, 10, 200, false, POINT_LIMIT, elapsed -> { });   // warm-up: the server's JIT
        } catch (IOException e) {
            notes.accept("Server model '" + model + "' failed its warm-up: " + e.getMessage());
            return points;
        }
        for (int clients : settings.clients()) {
            Peak peak = new Peak(pid);
            int each = settings.echoesEach(clients);
            try {
                ManyClients.Outcome outcome = ManyClients.run(address, clients, each, hold, POINT_LIMIT, peak::sample);
                peak.sample(Long.MAX_VALUE);
                points.add(point(model, clients, outcome, peak));
            } catch (IOException e) {
                notes.accept("Server model '" + model + "' with " + clients + " clients failed: " + e.getMessage());
            }
        }
        return points;
    }

    static ServerModelResult point(String model, int clients, ManyClients.Outcome outcome, Peak peak) {
        long[] nanos = outcome.nanos().clone();
        Arrays.sort(nanos);
        return new ServerModelResult(model, clients, outcome.echoes(),
                round(outcome.echoes() / outcome.seconds(), 0),
                Quantity.of(round(percentile(nanos, 0.50) / 1000.0, 1), "us"),
                Quantity.of(round(percentile(nanos, 0.99) / 1000.0, 1), "us"),
                Quantity.of(round(outcome.longestFirstEchoNanos() / 1000.0, 1), "us"),
                round(peak.rssKiB / 1024.0, 1), peak.threads, outcome.unfinished());
    }

    static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return 0;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private static InetSocketAddress address(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    }

    /** The server's peak VmRSS and thread count, sampled from /proc/<pid>/status at most every 20 ms. */
    static final class Peak {
        private final Path status;
        private long lastNs = -1;
        long rssKiB;
        int threads;

        Peak(long pid) {
            this.status = Path.of("/proc", String.valueOf(pid), "status");
        }

        void sample(long elapsedNs) {
            if (elapsedNs != Long.MAX_VALUE && lastNs >= 0 && elapsedNs - lastNs < 20_000_000L) {
                return;
            }
            lastNs = elapsedNs;
            try {
                for (String line : Files.readAllLines(status)) {
                    if (line.startsWith("VmRSS:")) {
                        rssKiB = Math.max(rssKiB, Long.parseLong(line.replaceAll("[^0-9]", "")));
                    } else if (line.startsWith("Threads:")) {
                        threads = Math.max(threads, Integer.parseInt(line.replaceAll("[^0-9]", "")));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                // the server has gone: the point's own result says so
            }
        }
    }
}

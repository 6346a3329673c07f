package org.ipclab.comparison.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.ipclab.core.ServerSettings;
import org.ipclab.queue.chronicle.ChronicleDirectory;
import org.ipclab.queue.chronicle.ChronicleEchoServer;
import org.ipclab.queue.chronicle.ChroniclePauser;
import org.ipclab.queue.chronicle.ChronicleTransport;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ipc-lab server chronicle}: the Chronicle Queue echo server. */
@Command(name = "chronicle", mixinStandardHelpOptions = true,
        description = {"Chronicle Queue echo server: tails the requests queue in a directory and appends every echo"
                + " to the responses queue beside it. Requests written while no server runs wait in the queue"
                + " and are answered when it starts."})
public final class ChronicleServerCommand implements Callable<Integer> {

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Queue directory, created if needed and kept after the server stops."
                    + " Default: a fresh temporary directory, removed when the server stops.")
    Path dir;

    @Option(names = "--pauser", paramLabel = "busy|sleepy", defaultValue = "sleepy",
            description = "How the server waits for requests: sleepy (little CPU, up to 20 ms to wake) or busy"
                    + " (spins a full CPU, lowest latency; for benchmarks). Default: ${DEFAULT-VALUE}.")
    String pauser;

    @Override
    public Integer call() {
        ChroniclePauser kind = ChronicleClientCommand.parsePauser(pauser);
        BannerFirst log = new BannerFirst(ServerRunner.stdoutLog(), Thread.currentThread());
        ServerSettings settings = ServerSettings.defaults()
                .withLog(log)
                .withOptions(Map.of(ChroniclePauser.OPTION, kind.id()));
        return ServerRunner.run(new ChronicleTransport(), dir == null ? "" : dir.toString(), settings, server -> {
            log.releaseLater();
            return describe((ChronicleEchoServer) server);
        });
    }

    /**
     * The echo thread starts on the requests that were waiting as soon as the server opens, while this
     * thread is still printing the banner; its lines ("Client ... opened the queue") are held until the
     * banner's last line ("Press Ctrl-C to stop."), so a transcript reads in order. Should that line never
     * come, they are let through half a second after the banner started.
     */
    static final class BannerFirst implements Consumer<String> {
        private static final String LAST_BANNER_LINE = "Press Ctrl-C";
        private static final long FALLBACK_MS = 500;
        private final Consumer<String> out;
        private final Thread bannerThread;
        private List<String> held = new ArrayList<>();

        BannerFirst(Consumer<String> out, Thread bannerThread) {
            this.out = out;
            this.bannerThread = bannerThread;
        }

        @Override
        public synchronized void accept(String line) {
            if (held != null && Thread.currentThread() != bannerThread) {
                held.add(line);
                return;
            }
            out.accept(line);
            if (line.startsWith(LAST_BANNER_LINE)) {
                release();
            }
        }

        void releaseLater() {
            CompletableFuture.runAsync(this::release, CompletableFuture.delayedExecutor(FALLBACK_MS, TimeUnit.MILLISECONDS));
        }

        private synchronized void release() {
            if (held != null) {
                held.forEach(out);
                held = null;
            }
        }
    }

    private static String describe(ChronicleEchoServer server) {
        Path where = server.directory();
        String clients = "Clients: " + IpcLabCommand.LAUNCHER + " client chronicle --dir " + where;
        if (server.isTemporary()) {
            return "The queue directory is temporary: it is removed when the server stops. " + clients;
        }
        return "The queue stays in " + where + " when the server stops (see it: ls -ls " + where + "/"
                + ChronicleDirectory.REQUESTS + "; remove it: rm -r " + where + "). " + clients;
    }
}

package org.ipclab.comparison.models;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ForkedPeer;
import org.ipclab.core.ServeMain;
import org.ipclab.core.Transports;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.ServerMemoryResult;
import org.ipclab.socket.ServerModel;

/**
 * What a TCP echo server holds after load and with many idle connections, measured by a foreign client: Python's
 * standard sockets ({@code idle_clients.py}), so nothing of ipc-lab's own client code is in the measurement. The
 * server runs in a process of its own; its memory is VmRSS in {@code /proc/<pid>/status}, read when the load has
 * gone and again with the idle connections open; a new client's echo shows it still serves at once.
 */
public final class IdleMemory {

    static final String SCRIPT = "idle_clients.py";
    static final Duration STAGE_LIMIT = Duration.ofSeconds(90);

    /** The load and the idle connections: 400 clients × 20 echoes of 64 KiB, then 1,000 (10,000 with --full). */
    public record Settings(int loadClients, int loadEchoes, int messageBytes, int idleConnections) {
        public static Settings forMode(String mode) {
            return switch (mode) {
                case "quick" -> new Settings(100, 10, 64 * 1024, 500);
                case "full" -> new Settings(400, 20, 64 * 1024, 10_000);
                default -> new Settings(400, 20, 64 * 1024, 1_000);
            };
        }

        public double seconds() {
            return 4 + loadClients * loadEchoes / 2000.0 + idleConnections / 1000.0;
        }
    }

    private IdleMemory() {
    }

    /** Why the check cannot run here: it needs python3 for its foreign client. */
    public static Optional<String> unavailableReason() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "python3"))) {
                return Optional.empty();
            }
        }
        return Optional.of("python3 is not installed, and the memory check's client is a Python program");
    }

    public static ServerMemoryResult run(ServerModel model, Settings settings, Path scratch) throws IOException {
        Path script = scratch.resolve(SCRIPT);
        try (InputStream in = IdleMemory.class.getResourceAsStream(SCRIPT)) {
            Files.copy(in, script, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        ForkedPeer.Options options = ForkedPeer.Options.defaults()
                .withOptions(Map.of(ServerModel.OPTION, model.id(), ServeMain.BACKLOG_OPTION, "4096",
                        // room for every idle connection and the new client after them (the default cap is 4,096)
                        ServeMain.MAX_CONNECTIONS_OPTION, String.valueOf(Math.max(
                                org.ipclab.core.ServerSettings.DEFAULT_MAX_CONNECTIONS, settings.idleConnections() + 16))))
                .withStderr(Redirect.DISCARD);
        try (ForkedPeer server = ForkedPeer.start(Transports.byId(ServerModelSweep.TRANSPORT), "127.0.0.1:0", options)) {
            InetSocketAddress address = address(server.endpoint());
            Path status = Path.of("/proc", String.valueOf(server.pid()), "status");
            Process client = new ProcessBuilder("python3", script.toString(), address.getHostString(),
                    String.valueOf(address.getPort()), String.valueOf(settings.loadClients()),
                    String.valueOf(settings.loadEchoes()), String.valueOf(settings.messageBytes()),
                    String.valueOf(settings.idleConnections()))
                    .redirectError(Redirect.DISCARD).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                 Writer go = new java.io.OutputStreamWriter(client.getOutputStream(), StandardCharsets.UTF_8)) {
                expect(out, "LOADED");
                settle();
                long afterLoadKiB = field(status, "VmRSS:");
                go.write("\n");
                go.flush();
                String idle = expect(out, "IDLE");
                settle();
                long idleKiB = field(status, "VmRSS:");
                int threads = (int) field(status, "Threads:");
                long openFiles = openFileLimit(server.pid());
                go.write("\n");
                go.flush();
                double newMs = Double.parseDouble(expect(out, "NEW").substring(4).trim());
                int connections = Integer.parseInt(idle.substring(5).trim());
                return new ServerMemoryResult(model.id(), settings.loadClients(), settings.loadEchoes(),
                        settings.messageBytes(), connections, round(afterLoadKiB / 1024.0), round(idleKiB / 1024.0),
                        round((idleKiB - afterLoadKiB) / (double) connections), threads, Quantity.of(round(newMs), "ms"),
                        openFiles, model == ServerModel.DEFAULT);
            } finally {
                client.destroyForcibly();
                client.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Waits (bounded) for the client's next line and checks it starts with {@code word}. */
    private static String expect(BufferedReader out, String word) throws IOException {
        CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
            try {
                return out.readLine();
            } catch (IOException e) {
                return "FAILED " + e.getMessage();
            }
        });
        String got;
        try {
            got = line.get(STAGE_LIMIT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IOException("the Python client did not say " + word + " within " + STAGE_LIMIT.toSeconds() + " s");
        }
        if (got == null || !got.startsWith(word)) {
            throw new IOException("the Python client said " + (got == null ? "nothing (it exited)" : "'" + got + "'")
                    + " instead of " + word);
        }
        return got;
    }

    /** Lets the server's threads finish what the last step started before its memory is read. */
    private static void settle() {
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static long field(Path status, String name) throws IOException {
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith(name)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException(status + " has no " + name);
    }

    /** The soft "Max open files" of the process, from /proc/<pid>/limits (the JVM raises it to the hard limit). */
    static long openFileLimit(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "limits"))) {
            if (line.startsWith("Max open files")) {
                String[] parts = line.substring("Max open files".length()).trim().split("\\s+");
                return parts[0].equals("unlimited") ? -1 : Long.parseLong(parts[0]);
            }
        }
        return -1;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static InetSocketAddress address(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        return new InetSocketAddress(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)));
    }
}

package org.ipclab.comparison.nativefloor;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.ipclab.core.FileTrees;

/**
 * The C floor under the server designs: {@code native/ipclab_servers.c}, compiled once, started as an iterative or
 * an epoll TCP echo server on 127.0.0.1 for the same sweep the Java designs get. {@link #close()} deletes the
 * binary's directory; each {@link Server} ends when it is closed (its standard input closes, then SIGKILL if it has
 * not gone within a second).
 */
public final class NativeServers implements AutoCloseable {

    static final String SOURCE = "ipclab_servers.c";
    /** The designs the C program has, as the sweep names them. */
    public static final List<String> DESIGNS = List.of("iterative", "epoll");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(5);

    private final Path workDir;
    private final Path binary;
    private final String builtFrom;

    private NativeServers(Path workDir, Path binary, String builtFrom) {
        this.workDir = workDir;
        this.binary = binary;
        this.builtFrom = builtFrom;
    }

    /** Compiles the program into a new temporary directory. */
    public static NativeServers compile() throws IOException {
        Path workDir = FileTrees.temporary("ipc-lab-servers-");
        try {
            NativeProgram.Compiled compiled = NativeProgram.compile(SOURCE, "ipclab_servers", workDir);
            return new NativeServers(workDir, compiled.binary(), compiled.builtFrom());
        } catch (IOException | RuntimeException e) {
            FileTrees.delete(workDir);
            throw e;
        }
    }

    public String builtFrom() {
        return builtFrom;
    }

    /** Starts one server of {@code design} ("iterative" or "epoll") and waits for its READY line. */
    public Server start(String design, int backlog) throws IOException {
        if (!DESIGNS.contains(design)) {
            throw new IllegalArgumentException("unknown C server design '" + design + "': choose one of " + DESIGNS);
        }
        Process process = new ProcessBuilder(binary.toString(), design, String.valueOf(backlog))
                .redirectError(Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        try {
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            if (line == null || !line.startsWith("READY ")) {
                throw new IOException("the C " + design + " server did not start (it said " + line + ")");
            }
            return new Server(process, new InetSocketAddress("127.0.0.1", Integer.parseInt(line.substring(6).strip())));
        } catch (InterruptedException | ExecutionException | TimeoutException | NumberFormatException | IOException e) {
            process.destroyForcibly();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw e instanceof IOException io ? io
                    : new IOException("the C " + design + " server was not ready within " + READY_TIMEOUT.toSeconds() + " s", e);
        }
    }

    @Override
    public void close() throws IOException {
        FileTrees.delete(workDir);
    }

    /** One running C server. */
    public static final class Server implements AutoCloseable {
        private final Process process;
        private final InetSocketAddress address;

        Server(Process process, InetSocketAddress address) {
            this.process = process;
            this.address = address;
        }

        public InetSocketAddress address() {
            return address;
        }

        public long pid() {
            return process.pid();
        }

        /** Closes its standard input, which ends it; SIGKILL if it has not gone within a second. */
        @Override
        public void close() throws IOException {
            try {
                process.getOutputStream().close();
                if (!process.waitFor(1, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}

package org.ipclab.comparison.across;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.ChildProcess;
import org.ipclab.core.JvmFlags;
import org.ipclab.core.ServeMain;

/**
 * One measurement across the link: the existing TCP echo server ({@link ServeMain} tcp) in host B bound to
 * {@value DelayLine#ADDRESS_B}, and {@link AcrossClientMain} in host A; returns the client's JSON lines.
 */
public final class AcrossRun {

    private static final long START_TIMEOUT_MS = 20_000;

    private AcrossRun() {
    }

    /** Runs the client against a fresh server in B; every wait bounded by {@code boundMs}. */
    public static List<String> tcp(NamespaceHosts hosts, int count, List<Integer> sizes, long streamMs, long boundMs) throws IOException {
        Process server = new ProcessBuilder(NamespaceHosts.inside(hosts.b, JvmFlags.javaCommand(List.of(),
                ServeMain.class.getName(), List.of("tcp", DelayLine.ADDRESS_B + ":0"))))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // its log of each connection is not wanted here
        try (ChildProcess serverChild = new ChildProcess(server, "the tcp echo server in " + hosts.b)) {
            String ready = firstLine(server, START_TIMEOUT_MS);
            if (ready == null || !ready.startsWith(ServeMain.READY)) {
                throw new IOException("the tcp server in " + hosts.b + " did not start (it said " + ready + ")");
            }
            String endpoint = ready.substring(ServeMain.READY.length()).strip();
            String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
            List<String> args = new ArrayList<>(List.of(DelayLine.ADDRESS_B, port, String.valueOf(count)));
            sizes.forEach(s -> args.add(String.valueOf(s)));
            Process client = new ProcessBuilder(NamespaceHosts.inside(hosts.a, JvmFlags.javaCommand(
                    List.of("-Dipclab.across.streamMs=" + streamMs),
                    AcrossClientMain.class.getName(), args))).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            try (ChildProcess clientChild = new ChildProcess(client, "the measuring client in " + hosts.a)) {
                client.getOutputStream().close();
                CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> readAll(client));
                if (!client.waitFor(boundMs, TimeUnit.MILLISECONDS)) {
                    throw new IOException("the client in " + hosts.a + " did not finish within " + boundMs + " ms");
                }
                return lines.get(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("could not read the client's output", e);
        }
    }

    private static String firstLine(Process process, long timeoutMs) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return reader.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new IOException("no READY line within " + timeoutMs + " ms", e);
        }
    }

    private static List<String> readAll(Process process) {
        try {
            return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.startsWith("{")).toList();
        } catch (IOException e) {
            return List.of();
        }
    }
}

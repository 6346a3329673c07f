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
 * One measurement across the link: ipc-lab's own echo server ({@link ServeMain} tcp or udp) in host B bound to
 * {@value DelayLine#ADDRESS_B}, and a measuring client ({@link AcrossClientMain}, {@link AcrossUdpClientMain}) in
 * host A; returns the client's JSON lines.
 */
public final class AcrossRun {

    private static final long START_TIMEOUT_MS = 20_000;

    private AcrossRun() {
    }

    /** The TCP measurements: connect, round trips, small writes, the stream; every wait bounded by {@code boundMs}. */
    public static List<String> tcp(NamespaceHosts hosts, int count, List<Integer> sizes, long streamMs, long boundMs) throws IOException {
        return run(hosts, "tcp", List.of("-Dipclab.across.streamMs=" + streamMs), AcrossClientMain.class.getName(),
                List.of(String.valueOf(count)), sizes, boundMs);
    }

    /**
     * The UDP round trips: each request waits at most {@code waitMs} for its echo and counts as lost after that; every
     * wait bounded by {@code boundMs}.
     */
    public static List<String> udp(NamespaceHosts hosts, int count, List<Integer> sizes, long waitMs, long boundMs) throws IOException {
        return run(hosts, "udp", List.of(), AcrossUdpClientMain.class.getName(),
                List.of(String.valueOf(count), String.valueOf(waitMs)), sizes, boundMs);
    }

    /** Starts ipc-lab's {@code transport} echo server in B, runs {@code clientMain HOST PORT args... sizes...} in A. */
    private static List<String> run(NamespaceHosts hosts, String transport, List<String> clientFlags, String clientMain,
                                    List<String> clientArgs, List<Integer> sizes, long boundMs) throws IOException {
        Process server = new ProcessBuilder(NamespaceHosts.inside(hosts.b, JvmFlags.javaCommand(List.of(),
                ServeMain.class.getName(), List.of(transport, DelayLine.ADDRESS_B + ":0"))))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start(); // its log of each connection is not wanted here
        try (ChildProcess serverChild = new ChildProcess(server, "the " + transport + " echo server in " + hosts.b)) {
            String ready = firstLine(server, START_TIMEOUT_MS);
            if (ready == null || !ready.startsWith(ServeMain.READY)) {
                throw new IOException("the " + transport + " server in " + hosts.b + " did not start (it said " + ready + ")");
            }
            String endpoint = ready.substring(ServeMain.READY.length()).strip();
            String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
            return client(NamespaceHosts.inside(hosts.a, JvmFlags.javaCommand(clientFlags, clientMain,
                    clientArgs(DelayLine.ADDRESS_B, Integer.parseInt(port), clientArgs, sizes))),
                    "the " + transport + " client in " + hosts.a, boundMs);
        }
    }

    /** HOST PORT args... sizes...: the measuring clients' command line. */
    static List<String> clientArgs(String host, int port, List<String> clientArgs, List<Integer> sizes) {
        List<String> args = new ArrayList<>(List.of(host, String.valueOf(port)));
        args.addAll(clientArgs);
        sizes.forEach(s -> args.add(String.valueOf(s)));
        return args;
    }

    /** Runs a measuring client's command and returns its JSON lines; it must finish within {@code boundMs}. */
    static List<String> client(List<String> command, String what, long boundMs) throws IOException {
        Process client = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (ChildProcess clientChild = new ChildProcess(client, what)) {
            client.getOutputStream().close();
            CompletableFuture<List<String>> lines = CompletableFuture.supplyAsync(() -> readAll(client));
            if (!client.waitFor(boundMs, TimeUnit.MILLISECONDS)) {
                throw new IOException(what + " did not finish within " + boundMs + " ms");
            }
            return lines.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("could not read the output of " + what, e);
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

package org.ipclab.comparison.across;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.ipclab.comparison.backlog.NamespaceVariants;
import org.ipclab.comparison.nativefloor.NativeProgram;

/**
 * The emulated link between two namespaces: {@code native/ipclab_delayline.c} started with both names, which makes a
 * TUN device {@value #DEVICE} in each and relays packets between them, RTT/2 late each way, dropped with the loss
 * probability, paced to the rate. This class then gives host A {@value #ADDRESS_A}/30 and host B
 * {@value #ADDRESS_B}/30 (198.18.0.0/15 is RFC 2544's range for benchmarking) and brings both up. Closing it closes
 * the program's stdin: it prints its counters and exits, and both devices vanish with its descriptors.
 */
public final class DelayLine implements AutoCloseable {

    public static final String DEVICE = "ipclab0";
    public static final String ADDRESS_A = "198.18.0.1";
    public static final String ADDRESS_B = "198.18.0.2";
    static final String SOURCE = "ipclab_delayline.c";
    /** The smallest router buffer the link gets; above it, one bandwidth-delay product. */
    static final long MIN_QUEUE_BYTES = 64 * 1024;
    private static final long READY_TIMEOUT_MS = 5_000;

    /** What the link does: its round trip, its rate (bit/s) and the chance each packet is dropped. */
    public record Profile(double rttMs, double rateMbit, double lossPercent) {
        long queueBytes() {
            return Math.max(MIN_QUEUE_BYTES, bdpBytes());
        }

        /** The bandwidth-delay product: how many bytes are on the wire during one round trip. */
        public long bdpBytes() {
            return Math.round(rateMbit * 1e6 / 8 * rttMs / 1000);
        }
    }

    private final Process process;
    private final Profile profile;
    private final BufferedReader out;
    private String stats;
    private boolean closed;

    private DelayLine(Process process, Profile profile, BufferedReader out) {
        this.process = process;
        this.profile = profile;
        this.out = out;
    }

    /** Compiles the program into {@code workDir} (once per run) and returns the binary. */
    static Path compile(Path workDir) throws IOException {
        return NativeProgram.compile(SOURCE, "ipclab_delayline", workDir).binary();
    }

    /** Starts the link between the namespaces {@code a} and {@code b} and configures both ends. */
    static DelayLine start(Path binary, String a, String b, Profile profile) throws IOException {
        Process process = new ProcessBuilder(binary.toString(), a, b, String.valueOf(Math.round(profile.rttMs() * 1000)),
                String.valueOf(Math.round(profile.rateMbit() * 1e6)), String.valueOf(Math.round(profile.lossPercent() * 1e4)),
                String.valueOf(profile.queueBytes()))
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
        DelayLine line = new DelayLine(process, profile, out);
        try {
            String ready = CompletableFuture.supplyAsync(() -> readLine(out)).get(READY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (!"READY".equals(ready)) {
                throw new IOException("the delay line did not start (it said " + ready + "); it needs root and /dev/net/tun");
            }
            for (String[] end : List.of(new String[] {a, ADDRESS_A}, new String[] {b, ADDRESS_B})) {
                /* ip addr add on the TUN: a /30 holds both hosts, so the kernel routes the peer's address to the
                 * device; everything it sends there becomes a read() in the delay line. */
                NamespaceVariants.command("give " + end[0] + " its address", ip(), "-n", end[0], "addr", "add",
                        end[1] + "/30", "dev", DEVICE);
                NamespaceVariants.command("bring " + DEVICE + " up in " + end[0], ip(), "-n", end[0], "link", "set",
                        DEVICE, "up");
            }
            return line;
        } catch (IOException | RuntimeException e) {
            line.close();
            throw e;
        } catch (InterruptedException e) {
            line.close();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the delay line", e);
        } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
            line.close();
            throw new IOException("the delay line was not ready within " + READY_TIMEOUT_MS + " ms", e);
        }
    }

    public Profile profile() {
        return profile;
    }

    /** Its counters ("STATS a2b_packets=... b2a_lost=...") after {@link #close()}, or null. */
    public String stats() {
        return stats;
    }

    /** Closes its stdin (it prints its counters and exits); SIGKILL if it has not gone within a second. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            process.getOutputStream().close();
            if (process.waitFor(1, TimeUnit.SECONDS)) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.startsWith("STATS ")) {
                        stats = line.substring(6);
                    }
                }
            } else {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (IOException ignored) {
            // its counters are lost; the process is gone or killed below
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static String readLine(BufferedReader reader) {
        try {
            return reader.readLine();
        } catch (IOException e) {
            return null;
        }
    }

    static String ip() {
        String ip = NamespaceVariants.which("ip");
        return ip != null ? ip : "ip";
    }
}

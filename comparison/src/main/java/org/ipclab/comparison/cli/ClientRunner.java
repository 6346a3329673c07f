package org.ipclab.comparison.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.ipclab.core.ClientSettings;
import org.ipclab.core.EchoClient;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.NoPeerException;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.cli.ClientCli;
import org.ipclab.core.cli.ClientStart;
import org.ipclab.core.cli.CliValues;
import org.ipclab.core.cli.Payload;

/**
 * Sends a payload through any transport and checks every byte of the echo, streaming in 64 KiB chunks
 * so a file of any size costs the client 128 KiB of memory.
 */
final class ClientRunner {

    static final int CHUNK = 64 * 1024;

    private ClientRunner() {
    }

    /**
     * Runs any transport's client as its command line asked: the usual round trips, or what the transport does
     * instead ({@link ClientStart#instead()}).
     */
    static int run(EchoTransport transport, CliValues values, PayloadOptions options) {
        ClientCli cli = transport.cli().client();
        PrintStream out = System.out;
        Payload payload = options.payload();
        ClientStart start = cli.start(values, options.timeout, out);
        ClientSettings settings = options.clientSettings().withOptions(start.options());
        try {
            if (start.instead() != null) {
                try {
                    return start.instead().run(settings, payload, options.count, out);
                } catch (IOException e) {
                    throw new UserError(e.getMessage());
                }
            }
            return roundTrips(transport, start, payload, options.count, settings, out);
        } catch (InternalError e) {
            String explained = cli.explain(e).orElseThrow(() -> e);
            throw new java.io.UncheckedIOException(explained, new IOException(explained, e));
        }
    }

    private static int roundTrips(EchoTransport transport, ClientStart target, Payload payload, int count,
                                  ClientSettings settings, PrintStream out) {
        String endpoint = target.endpoint();
        String startHint = target.startHint();
        TransportDescriptor descriptor = transport.descriptor();
        if (!descriptor.carries(payload.size())) {
            // refused before anything is sent: one line, bad input (UDP: one message is one datagram)
            throw new UserError(transport.id() + ": a message of " + payload.size() + " bytes is not possible: "
                    + descriptor.limits().tooLarge() + " (at most " + descriptor.limits().maxMessageBytes()
                    + " bytes in one message)");
        }
        long connectStart = System.nanoTime();
        EchoClient client;
        try {
            client = transport.connect(endpoint, settings);
        } catch (NoPeerException e) {
            throw new UserError(e.getMessage() + " — start one with " + startHint);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage());
        }
        long connectNs = System.nanoTime() - connectStart;
        out.printf(Locale.ROOT, "Connected to %s (%s) in %s%n", endpoint, transport.id(), formatNs(connectNs));
        long[] rttNs = new long[count];
        try (client) {
            for (int i = 0; i < count; i++) {
                long start = System.nanoTime();
                if (payload.text() != null) {
                    byte[] echoed = new byte[payload.text().length];
                    client.roundTrip(payload.text(), echoed, echoed.length);
                    rttNs[i] = System.nanoTime() - start;
                    if (!Arrays.equals(payload.text(), echoed)) {
                        out.println("Received " + describeText(echoed) + " — it differs from what was sent");
                        return ExitCodes.FAILED;
                    }
                    if (i == 0 || count <= 10) {
                        out.printf(Locale.ROOT, "Received %s (%d bytes) in %s%n", describeText(echoed),
                                echoed.length, formatNs(rttNs[i]));
                    }
                } else {
                    streamRoundTrip(client, payload, settings);
                    rttNs[i] = System.nanoTime() - start;
                    if (i == 0 || count <= 10) {
                        double mibPerS = payload.size() / (1024.0 * 1024.0) / (rttNs[i] / 1e9);
                        out.printf(Locale.ROOT, "Echoed %s (%d bytes), every byte verified, in %s (%.1f MiB/s)%n",
                                payload.description(), payload.size(), formatNs(rttNs[i]), mibPerS);
                    }
                }
            }
            client.finishSending();
        } catch (NoPeerException e) {
            // a transport without a connection learns there is no server only at its first send or receive (UDP)
            throw new UserError(e.getMessage() + " — start one with " + startHint);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e.getMessage(), e);
        }
        if (count > 1) {
            long[] sorted = rttNs.clone();
            Arrays.sort(sorted);
            out.printf(Locale.ROOT, "%d round trips: min %s, median %s, max %s%n", count,
                    formatNs(sorted[0]), formatNs(sorted[sorted.length / 2]), formatNs(sorted[sorted.length - 1]));
        }
        return ExitCodes.OK;
    }

    /** Writer on a second thread, reader on this one: neither waits for the other to finish. */
    private static void streamRoundTrip(EchoClient client, Payload payload, ClientSettings settings)
            throws IOException {
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> {
            try (InputStream in = payload.open()) {
                byte[] chunk = new byte[CHUNK];
                int n;
                while ((n = in.readNBytes(chunk, 0, CHUNK)) > 0) {
                    client.send(chunk, 0, n);
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        try (InputStream expected = payload.open()) {
            byte[] want = new byte[CHUNK];
            byte[] got = new byte[CHUNK];
            long offset = 0;
            int n;
            while ((n = expected.readNBytes(want, 0, CHUNK)) > 0) {
                client.receive(got, 0, n);
                int mismatch = Arrays.mismatch(want, 0, n, got, 0, n);
                if (mismatch >= 0) {
                    throw new IOException("the echo differs from what was sent at byte " + (offset + mismatch));
                }
                offset += n;
            }
            sent.get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : e.getCause();
            throw new IOException("sending failed: " + cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IOException("sending did not finish within " + settings.timeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            sent.cancel(true);
        }
    }

    static String describeText(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.UTF_8);
        return "'" + (text.length() > 200 ? text.substring(0, 200) + "…" : text) + "'";
    }

    static String formatNs(long ns) {
        if (ns < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f µs", ns / 1e3);
        }
        if (ns < 10_000_000_000L) {
            return String.format(Locale.ROOT, "%.2f ms", ns / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f s", ns / 1e9);
    }
}

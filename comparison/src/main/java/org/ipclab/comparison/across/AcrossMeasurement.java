package org.ipclab.comparison.across;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.model.NetworkResult;
import org.ipclab.report.model.Quantity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One profile measured across a link: two namespace hosts joined by the delay line, the TCP and UDP echo servers in
 * host B, the measuring clients in host A, then the Unix-socket reach check. Used by {@code ./ipc-lab across} and, with one
 * profile, by {@code ./ipc-lab compare}.
 */
public final class AcrossMeasurement {

    static final String EMULATOR = "TUN delay line";
    /** The sizes of the TCP round trips across the link. */
    public static final List<Integer> SIZES = List.of(64, 1024, 64 * 1024);
    /**
     * The sizes of the UDP round trips: 64 KiB is more than one datagram carries, so the largest is 8 KiB - six IP
     * fragments on this link's 1,500 B MTU, and losing any one of them loses the whole datagram.
     */
    public static final List<Integer> UDP_SIZES = List.of(64, 1024, 8 * 1024);
    /** The second stream: the client's receive buffer fixed (its size in sizeBytes), so the window limits it. */
    public static final String STREAM_FIXED_WINDOW = org.ipclab.report.NetworkSection.STREAM_FIXED_WINDOW;
    /** The transports that can cross: the sockets of the IP family. */
    public static final List<String> TRANSPORTS = List.of("tcp", "udp");

    /**
     * What one profile gave.
     *
     * @param rows  the network[] rows of results.json
     * @param notes what the reader must know: the Unix-socket reach, the delay line's own counters
     */
    public record Outcome(List<NetworkResult> rows, List<String> notes) {
    }

    private AcrossMeasurement() {
    }

    /** Round trips per size of a stand-alone run ({@code across}, {@code compare --remote}) in mode quick, default or full. */
    static int roundTrips(String mode) {
        return mode.equals("quick") ? 30 : mode.equals("full") ? 1000 : 200;
    }

    /** How long each TCP stream of a stand-alone run lasts, in ms. */
    static long streamMs(String mode) {
        return mode.equals("quick") ? 2_000 : mode.equals("full") ? 10_000 : 4_000;
    }

    /** A results.json of network rows alone, as {@code across} and {@code compare --remote} write it. */
    static org.ipclab.report.model.Results results(org.ipclab.report.model.Results.RunInfo run, Outcome outcome) {
        return new org.ipclab.report.model.Results(org.ipclab.report.model.Results.SCHEMA, run, null, List.of(),
                List.of(), List.of(), List.of(), List.of(), List.of(), null, List.of(), outcome.notes(), null, null, null,
                null, null, null, outcome.rows());
    }

    /** Why namespace hosts cannot be made here, or null when they can. */
    public static String unavailableReason() {
        return NamespaceHosts.unavailableReason();
    }

    /**
     * Makes the hosts and the link, measures, and removes them again (also when the measurement fails).
     *
     * @param transports some of {@link #TRANSPORTS}
     * @param count      round trips per size
     * @param streamMs   how long the TCP stream runs
     * @param log        a line for the user when the hosts are up
     */
    public static Outcome measure(DelayLine.Profile profile, List<String> transports, int count, long streamMs,
                                  java.util.function.Consumer<String> log) throws IOException {
        List<NetworkResult> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String stats;
        try (NamespaceHosts hosts = NamespaceHosts.start(profile)) {
            log.accept("hosts " + hosts.a + " and " + hosts.b + " joined by a " + EMULATOR + " (rtt "
                    + profile.rttMs() + " ms, " + profile.rateMbit() + " Mbit/s, loss " + profile.lossPercent() + " %)");
            long boundMs = 60_000 + (long) (count * SIZES.size() * (profile.rttMs() * 4 + 50)) + 2 * streamMs;   // two streams
            ObjectMapper json = new ObjectMapper();
            if (transports.contains("tcp")) {
                for (String line : AcrossRun.tcp(hosts, count, SIZES, streamMs, boundMs)) {
                    rows.add(row(profile, json.readTree(line), false, EMULATOR));
                }
            }
            if (transports.contains("udp")) {
                long udpBoundMs = 60_000 + count * UDP_SIZES.size() * (udpWaitMs(profile) + 50);   // all lost, at worst
                for (String line : AcrossRun.udp(hosts, count, UDP_SIZES, udpWaitMs(profile), udpBoundMs)) {
                    rows.add(row(profile, json.readTree(line), false, EMULATOR));
                }
            }
            notes.add(UnixAcross.measure(hosts));
            hosts.close();
            stats = hosts.link().stats();
        }
        if (stats != null) {
            notes.add("The delay line's own counters: " + stats + ".");
        }
        return new Outcome(rows, notes);
    }

    /** About how long {@link #measure} takes: the hosts, two JVMs per transport, the round trips and the streams. */
    public static double seconds(DelayLine.Profile p, List<String> transports, int count, long streamMs) {
        double tcp = transports.contains("tcp")
                ? 3 + count * SIZES.size() * (p.rttMs() + 0.5) / 1000 + 2 * streamMs / 1000.0 : 0;
        double udp = transports.contains("udp") ? 3 + count * UDP_SIZES.size() * (p.rttMs() + 0.5) / 1000
                * (1 + p.lossPercent() / 100 * udpWaitMs(p) / Math.max(0.1, p.rttMs())) : 0;
        return 3 + tcp + udp;
    }

    /** How long a UDP request waits for its echo before it counts as lost: four round trips, at least 250 ms. */
    public static long udpWaitMs(DelayLine.Profile p) {
        return Math.max(250, (long) Math.ceil(4 * p.rttMs()));
    }

    /** One of a measuring client's JSON lines as a network[] row. */
    static NetworkResult row(DelayLine.Profile p, JsonNode json, boolean remote, String emulator) {
        String what = switch (json.path("what").asText()) {
            case "rtt" -> "round trip";
            case "connect" -> json.has("error") ? "error" : "connect";
            case "stream" -> "stream";
            case "stream-fixed-window" -> STREAM_FIXED_WINDOW;
            case "small-writes-nagle" -> "small writes, Nagle on";
            case "small-writes-nodelay" -> "small writes, TCP_NODELAY";
            default -> json.path("what").asText();
        };
        boolean stream = what.equals("stream") || what.equals(STREAM_FIXED_WINDOW);
        boolean udp = json.path("transport").asText("tcp").equals("udp");
        return new NetworkResult(udp ? "udp" : "tcp", what, p.rttMs(), p.rateMbit(), p.lossPercent(), json.path("sizeBytes").asInt(),
                stream || !json.has("p50Ms") ? null : Quantity.of(json.path("p50Ms").asDouble(), "ms"),
                stream || !json.has("p99Ms") ? null : Quantity.of(json.path("p99Ms").asDouble(), "ms"),
                stream ? Quantity.of(json.path("mbitPerSecond").asDouble(), "Mbit/s") : null,
                udp ? -1 : json.path("retransmits").asLong(-1), remote, emulator,
                udp ? json.path("lost").asLong() : null, udp ? json.path("sent").asLong() : null);
    }
}

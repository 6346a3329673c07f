package org.ipclab.comparison.across;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.model.NetworkResult;
import org.ipclab.report.model.Quantity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One profile measured across a link: two namespace hosts joined by the delay line, the TCP echo server in host B,
 * the measuring client in host A, then the Unix-socket reach check. Used by {@code ./ipc-lab across} and, with one
 * profile, by {@code ./ipc-lab compare}.
 */
public final class AcrossMeasurement {

    static final String EMULATOR = "TUN delay line";
    /** The sizes of the round trips across the link. */
    public static final List<Integer> SIZES = List.of(64, 1024, 64 * 1024);

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

    /** Why namespace hosts cannot be made here, or null when they can. */
    public static String unavailableReason() {
        return NamespaceHosts.unavailableReason();
    }

    /**
     * Makes the hosts and the link, measures, and removes them again (also when the measurement fails).
     *
     * @param count    round trips per size
     * @param streamMs how long the stream runs
     * @param log      a line for the user when the hosts are up
     */
    public static Outcome measure(DelayLine.Profile profile, int count, long streamMs, java.util.function.Consumer<String> log)
            throws IOException {
        List<NetworkResult> rows = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        String stats;
        try (NamespaceHosts hosts = NamespaceHosts.start(profile)) {
            log.accept("hosts " + hosts.a + " and " + hosts.b + " joined by a " + EMULATOR + " (rtt "
                    + profile.rttMs() + " ms, " + profile.rateMbit() + " Mbit/s, loss " + profile.lossPercent() + " %)");
            long boundMs = 60_000 + (long) (count * SIZES.size() * (profile.rttMs() * 4 + 50)) + streamMs;
            ObjectMapper json = new ObjectMapper();
            for (String line : AcrossRun.tcp(hosts, count, SIZES, streamMs, boundMs)) {
                rows.add(row(profile, json.readTree(line)));
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

    private static NetworkResult row(DelayLine.Profile p, JsonNode json) {
        String what = switch (json.path("what").asText()) {
            case "rtt" -> "round trip";
            case "connect" -> json.has("error") ? "error" : "connect";
            case "stream" -> "stream";
            case "small-writes-nagle" -> "small writes, Nagle on";
            case "small-writes-nodelay" -> "small writes, TCP_NODELAY";
            default -> json.path("what").asText();
        };
        boolean stream = what.equals("stream");
        return new NetworkResult("tcp", what, p.rttMs(), p.rateMbit(), p.lossPercent(), json.path("sizeBytes").asInt(),
                stream || !json.has("p50Ms") ? null : Quantity.of(json.path("p50Ms").asDouble(), "ms"),
                stream || !json.has("p99Ms") ? null : Quantity.of(json.path("p99Ms").asDouble(), "ms"),
                stream ? Quantity.of(json.path("mbitPerSecond").asDouble(), "Mbit/s") : null,
                json.path("retransmits").asLong(-1), false, EMULATOR);
    }
}

package org.ipclab.comparison.across;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ipclab.comparison.cli.ExitCodes;
import org.ipclab.comparison.cli.IpcLabCommand;
import org.ipclab.comparison.cli.UserError;
import org.ipclab.report.NetworkSection;
import org.ipclab.report.model.NetworkResult;
import org.ipclab.report.model.Results;

import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ipc-lab across}: two hosts as network namespaces joined by an emulated link, TCP and UDP measured over it. */
@Command(name = "across", mixinStandardHelpOptions = true,
        description = {"Make two network namespaces as two hosts, join them by an emulated link (round trip, rate, "
                + "loss: a user-space delay line between two TUN devices, as this kernel has no netem), run the TCP "
                + "and UDP echo servers in host B and measure from host A: round trips, connect, streaming, Nagle, "
                + "lost datagrams.",
            "Needs root. Writes results.json, REPORT.md and charts/ into --out; leaves no namespace or device behind."})
public final class AcrossCommand implements Callable<Integer> {

    @Option(names = "--rtt", paramLabel = "TIME", defaultValue = "10ms",
            description = "The link's round trip, e.g. 0.1ms, 10ms, 1s (default: ${DEFAULT-VALUE}).")
    String rtt;

    @Option(names = "--rate", paramLabel = "RATE", defaultValue = "100mbit",
            description = "The link's rate, e.g. 500kbit, 20mbit, 1gbit (default: ${DEFAULT-VALUE}).")
    String rate;

    @Option(names = "--loss", paramLabel = "PERCENT", defaultValue = "0%",
            description = "Chance each packet is dropped, each way, e.g. 0.5% (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--transports", paramLabel = "LIST", defaultValue = "tcp,udp",
            description = "Transports to measure, of tcp and udp (default: ${DEFAULT-VALUE}).")
    String transports;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--quick", description = "Fewer round trips and a short stream (about 10 s).")
        boolean quick;
        @Option(names = "--full", description = "More round trips and a longer stream.")
        boolean full;
    }

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "ipc-lab-across",
            description = "Directory for the report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        DelayLine.Profile profile = new DelayLine.Profile(parseRttMs(rtt), parseRateMbit(rate), parseLossPercent(loss));
        List<String> ids = new java.util.ArrayList<>();
        for (String t : transports.split(",")) {
            String id = t.trim().toLowerCase(Locale.ROOT);
            if (!AcrossMeasurement.TRANSPORTS.contains(id)) {
                throw new UserError("--transports: '" + t.trim() + "' cannot be measured across the link; only "
                        + String.join(" and ", AcrossMeasurement.TRANSPORTS) + " leave the host (the others never"
                        + " use an IP address)");
            }
            if (!ids.contains(id)) {
                ids.add(id);
            }
        }
        String reason = AcrossMeasurement.unavailableReason();
        if (reason != null) {
            throw new UserError("across " + reason);
        }
        String modeName = mode.quick ? "quick" : mode.full ? "full" : "default";
        int count = AcrossMeasurement.roundTrips(modeName);
        long streamMs = AcrossMeasurement.streamMs(modeName);
        long started = System.nanoTime();
        String startedAt = Instant.now().toString();
        AcrossMeasurement.Outcome outcome = AcrossMeasurement.measure(profile, ids, count, streamMs,
                line -> System.err.println("ipc-lab: " + line));
        List<NetworkResult> rows = outcome.rows();
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("rttMs", String.valueOf(profile.rttMs()));
        settings.put("rateMbit", String.valueOf(profile.rateMbit()));
        settings.put("lossPercent", String.valueOf(profile.lossPercent()));
        settings.put("roundTripsPerSize", String.valueOf(count));
        settings.put("streamMs", String.valueOf(streamMs));
        settings.put("queueBytes", String.valueOf(profile.queueBytes()));
        List<String> notes = outcome.notes();
        Results.RunInfo run = new Results.RunInfo(startedAt, (System.nanoTime() - started) / 1e9,
                modeName, settings, "ipc-lab across",
                IpcLabCommand.Version.version());
        Results results = AcrossMeasurement.results(run, outcome);
        Path report = NetworkSection.write(results, out);
        for (NetworkResult r : rows) {
            System.out.println(describe(r));
        }
        System.out.println(notes.get(0));
        System.out.println("Report: " + report.toAbsolutePath());
        return rows.isEmpty() || rows.get(0).what().equals("error") ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /** "tcp round trip 64 B: p50 10.58 ms, p99 12.96 ms": one row for the terminal. */
    static String describe(NetworkResult r) {
        return r.transport() + " " + r.what() + (r.sizeBytes() > 0 ? " " + r.sizeBytes() + " B" : "")
                + (r.p50() != null ? String.format(Locale.ROOT, ": p50 %.2f ms, p99 %.2f ms", r.p50().value(), r.p99().value()) : "")
                + (r.throughput() != null ? String.format(Locale.ROOT, ": %.1f Mbit/s", r.throughput().value()) : "")
                + (r.retransmits() > 0 ? ", " + r.retransmits() + " retransmits" : "")
                + (r.lost() != null ? ", " + r.lost() + " of " + r.sent() + " lost" : "");
    }

    private static final Pattern RTT = Pattern.compile("(-?[0-9]+(?:\\.[0-9]+)?)\\s*(us|ms|s)?");
    private static final Pattern RATE = Pattern.compile("(-?[0-9]+(?:\\.[0-9]+)?)\\s*(kbit|mbit|gbit)?",
            Pattern.CASE_INSENSITIVE);

    static double parseRttMs(String text) {
        Matcher m = RTT.matcher(text.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new UserError("--rtt takes a time such as 10ms, 0.1ms or 1s, not '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        double ms = unit.equals("us") ? value / 1000 : unit.equals("s") ? value * 1000 : value;
        if (ms < 0 || ms > 10_000) {
            throw new UserError("--rtt must be between 0 and 10s, not " + text);
        }
        return ms;
    }

    static double parseRateMbit(String text) {
        Matcher m = RATE.matcher(text.trim());
        if (!m.matches()) {
            throw new UserError("--rate takes a rate such as 500kbit, 20mbit or 1gbit, not '" + text + "'");
        }
        double value = Double.parseDouble(m.group(1));
        String unit = m.group(2) == null ? "mbit" : m.group(2).toLowerCase(Locale.ROOT);
        double mbit = unit.equals("kbit") ? value / 1000 : unit.equals("gbit") ? value * 1000 : value;
        if (mbit <= 0 || mbit > 10_000) {
            throw new UserError("--rate must be more than 0 and at most 10gbit, not " + text);
        }
        return mbit;
    }

    static double parseLossPercent(String text) {
        String t = text.trim();
        t = t.endsWith("%") ? t.substring(0, t.length() - 1).trim() : t;
        double percent;
        try {
            percent = Double.parseDouble(t);
        } catch (NumberFormatException e) {
            throw new UserError("--loss takes a percentage such as 0.5%, not '" + text + "'");
        }
        if (percent < 0 || percent > 100) {
            throw new UserError("--loss must be between 0% and 100%, not " + text);
        }
        return percent;
    }
}

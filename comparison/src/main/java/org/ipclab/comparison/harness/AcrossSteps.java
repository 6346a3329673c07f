package org.ipclab.comparison.harness;

import java.util.List;
import java.util.Locale;

import org.ipclab.comparison.across.AcrossMeasurement;
import org.ipclab.comparison.across.DelayLine;
import org.ipclab.report.model.NetworkResult;

/**
 * TCP and UDP across an emulated link, as a step of a compare run: two network namespaces as hosts joined by the delay
 * line, one profile (round trip 2 ms, 100 Mbit/s) by default, and with {@code --full} the round trips 0.1, 1, 10 and
 * 50 ms each without and with 1 % loss. Without root or TUN the run says why in a note and goes on.
 */
final class AcrossSteps {

    /** The profile a default or quick run measures. */
    static final DelayLine.Profile DEFAULT_PROFILE = new DelayLine.Profile(2, 100, 0);

    private AcrossSteps() {
    }

    static List<Extensions.Extension> plan(CompareSettings settings, List<String> notes, List<NetworkResult> network) {
        String reason = AcrossMeasurement.unavailableReason();
        if (reason != null) {
            notes.add("Across a network: not measured, as ./ipc-lab across " + reason + ".");
            return List.of();
        }
        boolean quick = settings.mode().equals("quick");
        boolean full = settings.mode().equals("full");
        int count = quick ? 20 : full ? 200 : 60;
        long streamMs = quick ? 1_500 : full ? 4_000 : 2_000;
        List<DelayLine.Profile> profiles = full ? fullSweep() : List.of(DEFAULT_PROFILE);
        List<String> transports = AcrossMeasurement.TRANSPORTS.stream().filter(settings.transports()::contains).toList();
        if (transports.isEmpty()) {
            return List.of();
        }
        return profiles.stream().map(p -> new Extensions.Extension(String.format(Locale.ROOT,
                "%s across an emulated link (rtt %s ms, %s Mbit/s, loss %s %%)", String.join(" and ", transports),
                trim(p.rttMs()), trim(p.rateMbit()), trim(p.lossPercent())), AcrossMeasurement.seconds(p, transports, count, streamMs), () -> {
                    AcrossMeasurement.Outcome outcome = AcrossMeasurement.measure(p, transports, count, streamMs, line -> { });
                    network.addAll(outcome.rows());
                    if (network.size() == outcome.rows().size()) {
                        notes.addAll(outcome.notes());   // the Unix-socket reach and the relay's counters, once
                    }
                })).toList();
    }

    private static List<DelayLine.Profile> fullSweep() {
        List<DelayLine.Profile> profiles = new java.util.ArrayList<>();
        for (double loss : List.of(0.0, 1.0)) {
            for (double rtt : List.of(0.1, 1.0, 10.0, 50.0)) {
                profiles.add(new DelayLine.Profile(rtt, 100, loss));
            }
        }
        return profiles;
    }

    private static String trim(double value) {
        return value == Math.rint(value) ? String.valueOf((long) value) : String.valueOf(value);
    }
}

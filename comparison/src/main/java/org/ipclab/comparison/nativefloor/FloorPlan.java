package org.ipclab.comparison.nativefloor;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.ipclab.report.model.Results.Placement;

/**
 * The runs of the C program that one measurement of a transport at one placement takes (a round trip per size,
 * then one stream), their command lines, how they are named in notes, and how long they take.
 */
final class FloorPlan {

    /** Process start, set-up and report of one measurement, on top of warm-up and measurement time. */
    private static final double PER_RUN_OVERHEAD_SECONDS = 0.1;
    private static final double COMPILE_SECONDS_ESTIMATE = 1.5;

    private FloorPlan() {
    }

    /** One run: the program's arguments and what a note calls it. */
    record Run(List<String> args, String description) {
    }

    /**
     * The runs for one transport at one placement: {@code rtt <mode> <placement> <size> <seconds> <warm-up>} per
     * size, then {@code stream ... <message bytes> <seconds> <warm-up> <stream bytes>} unless streamBytes is 0.
     */
    static List<Run> runs(String transport, String mode, Placement placement, List<Integer> sizes,
                          Duration perMeasurement, int streamBytes) {
        String seconds = secondsArg(perMeasurement);
        String warmup = secondsArg(perMeasurement.dividedBy(3));
        String where = FloorOutput.placementArg(placement);
        List<Run> runs = new ArrayList<>();
        for (int size : sizes) {
            runs.add(new Run(List.of("rtt", mode, where, String.valueOf(size), seconds, warmup),
                    transport + " round trip " + sizeLabel(size) + ", " + placement.label()));
        }
        if (streamBytes > 0) {
            int message = NativeFloor.STREAM_MESSAGE_BYTES;
            runs.add(new Run(List.of("stream", mode, where, String.valueOf(message), seconds, warmup,
                    String.valueOf(streamBytes)), transport + " streaming " + sizeLabel(message) + " writes, " + placement.label()));
        }
        return runs;
    }

    /** How long one run may take beyond its warm-up and measurement before it is killed: that plus the slack. */
    static Duration timeout(Duration perMeasurement, Duration slack) {
        return perMeasurement.plus(perMeasurement.dividedBy(3)).plus(slack);
    }

    /** Seconds one run (one size or one stream, one placement) is expected to take. */
    static double secondsPerRun(Duration perMeasurement) {
        return perMeasurement.toMillis() / 1000.0 * 4 / 3 + PER_RUN_OVERHEAD_SECONDS;
    }

    /** Seconds a whole measurement is expected to take, compiling included; 0 when nothing has a floor. */
    static double estimateSeconds(long transportsWithFloor, List<Integer> sizes, List<Placement> placements,
                                  Duration perMeasurement) {
        if (transportsWithFloor == 0) {
            return 0;
        }
        return COMPILE_SECONDS_ESTIMATE
                + transportsWithFloor * placements.size() * (sizes.size() + 1) * secondsPerRun(perMeasurement);
    }

    static String sizeLabel(int bytes) {
        if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        if (bytes >= 1024 && bytes % 1024 == 0) {
            return bytes / 1024 + " KiB";
        }
        return bytes + " B";
    }

    private static String secondsArg(Duration duration) {
        return String.format(Locale.ROOT, "%.3f", duration.toNanos() / 1e9);
    }
}

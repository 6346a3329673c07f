package org.ipclab.comparison.nativefloor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results.NativeResult;
import org.ipclab.report.model.Results.Placement;

/** The C program's command-line words for a placement, and its output read back into results rows. */
final class FloorOutput {

    private FloorOutput() {
    }

    /**
     * One measurement per line, {@code <mode> <placement> <size> <metric> <value> <unit>}, e.g. {@code tcp same 64
     * rtt_p50 4.420 us}; the mode becomes the id of the transport whose descriptor names it. Blank lines and lines
     * starting with '#' are skipped.
     *
     * @throws IOException naming the first line that is not in that form
     */
    static List<NativeResult> parse(String output) throws IOException {
        List<NativeResult> rows = new ArrayList<>();
        for (String line : output.lines().map(String::strip).toList()) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            try {
                if (f.length != 6) {
                    throw new IllegalArgumentException("6 fields expected, found " + f.length);
                }
                String transport = NativeModes.transportOf(f[0])
                        .orElseThrow(() -> new IllegalArgumentException("unknown transport " + f[0]));
                double value = Double.parseDouble(f[4]);
                if (!Double.isFinite(value)) {
                    throw new IllegalArgumentException("value is " + f[4]);
                }
                rows.add(new NativeResult(transport, placementOf(f[1]), Integer.parseInt(f[2]), f[3], Quantity.of(value, f[5])));
            } catch (IllegalArgumentException e) {
                throw new IOException("unexpected line from ipclab_floor: '" + line + "' (" + e.getMessage() + ")", e);
            }
        }
        return rows;
    }

    static String placementArg(Placement placement) {
        return switch (placement) {
            case SAME_CPU -> "same";
            case DIFFERENT_CPUS -> "different";
            case UNPINNED -> "unpinned";
        };
    }

    static Placement placementOf(String arg) {
        for (Placement placement : Placement.values()) {
            if (placementArg(placement).equals(arg)) {
                return placement;
            }
        }
        throw new IllegalArgumentException("unknown placement " + arg);
    }
}

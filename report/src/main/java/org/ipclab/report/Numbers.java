package org.ipclab.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;

import org.ipclab.report.model.Quantity;

/**
 * How the report writes numbers: three significant digits below 100 (0.763, 4.42, 56.9), whole numbers from
 * 100 up (539, 4691), sizes in B/KiB/MiB, ratios with "×". Also converts measured {@link Quantity} values to
 * the report's units (µs for round trips, ms for set-up, MiB/s for streams), failing loudly on a unit it does
 * not know rather than printing a wrong number.
 */
public final class Numbers {

    private static final double KIB = 1024;
    private static final double MIB = 1024 * 1024;

    private Numbers() {
    }

    /** {@code value} with three significant digits, or as a whole number from 100 up; "–" for NaN. */
    public static String format(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "–";
        }
        if (value == 0) {
            return "0";
        }
        BigDecimal decimal = new BigDecimal(value);
        if (Math.abs(value) >= 100) {
            return decimal.setScale(0, RoundingMode.HALF_UP).toPlainString();
        }
        return decimal.round(new MathContext(3, RoundingMode.HALF_UP)).stripTrailingZeros().toPlainString();
    }

    /** A ratio such as "31.4×" or "0.52×". */
    public static String ratio(double value) {
        return format(value) + "×";
    }

    /** A whole percentage, e.g. "97 %". */
    public static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.0f %%", fraction * 100);
    }

    /** A message size: "0 B", "64 B", "4 KiB", "1 MiB", "1000 B". */
    public static String size(long bytes) {
        if (bytes >= MIB && bytes % (long) MIB == 0) {
            return bytes / (long) MIB + " MiB";
        }
        if (bytes >= KIB && bytes % (long) KIB == 0) {
            return bytes / (long) KIB + " KiB";
        }
        return bytes + " B";
    }

    /** A count with thousands grouped by thin spaces: "1 234 567". */
    public static String count(long value) {
        return String.format(Locale.ROOT, "%,d", value).replace(',', '\u2009');
    }

    /** A duration in seconds as "42 s" or "3 min 20 s". */
    public static String seconds(double seconds) {
        long whole = Math.round(seconds);
        if (whole < 60) {
            return format(seconds) + " s";
        }
        return whole / 60 + " min " + whole % 60 + " s";
    }

    /** A time quantity in microseconds; throws if the unit is not a time unit (ns, us, µs, ms, s, also "/op"). */
    public static double micros(Quantity quantity) {
        return quantity.value() * secondsPerUnit(quantity.unit()) * 1e6;
    }

    /** A time quantity in milliseconds. */
    public static double millis(Quantity quantity) {
        return quantity.value() * secondsPerUnit(quantity.unit()) * 1e3;
    }

    /** A rate in MiB/s; accepts B/s, KiB/s, MiB/s, GiB/s, MB/s. */
    public static double mibPerSecond(Quantity quantity) {
        String unit = quantity.unit() == null ? "" : quantity.unit().trim();
        double factor = switch (unit) {
            case "B/s" -> 1 / MIB;
            case "KiB/s" -> 1 / KIB;
            case "MiB/s" -> 1;
            case "GiB/s" -> KIB;
            case "MB/s" -> 1e6 / MIB;
            default -> throw new IllegalArgumentException("unit '" + quantity.unit()
                    + "' is not a rate the report knows (B/s, KiB/s, MiB/s, GiB/s, MB/s)");
        };
        return quantity.value() * factor;
    }

    private static double secondsPerUnit(String unit) {
        String bare = unit == null ? "" : unit.trim();
        if (bare.endsWith("/op")) {
            bare = bare.substring(0, bare.length() - "/op".length());
        }
        return switch (bare) {
            case "ns" -> 1e-9;
            case "us", "µs", "μs" -> 1e-6;
            case "ms" -> 1e-3;
            case "s" -> 1;
            default -> throw new IllegalArgumentException("unit '" + unit
                    + "' is not a time unit the report knows (ns, us, ms, s, optionally per op)");
        };
    }
}

package org.ipclab.comparison.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses byte counts: "64", "64B", "4KiB", "1MiB", "10MB" (KB/MB/GB are powers of 1000, KiB/MiB/GiB of 1024). */
public final class SizeConverter implements ITypeConverter<Long> {

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|k|mb|mib|m|gb|gib|g)?");

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    public static long parse(String value) {
        Matcher m = SIZE.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a size; write e.g. 64, 4KiB, 1MiB, 10MB");
        }
        long number;
        try {
            number = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is too large");
        }
        String unit = m.group(2) == null ? "b" : m.group(2);
        long multiplier = switch (unit) {
            case "kb" -> 1000L;
            case "kib", "k" -> 1024L;
            case "mb" -> 1000L * 1000;
            case "mib", "m" -> 1024L * 1024;
            case "gb" -> 1000L * 1000 * 1000;
            case "gib", "g" -> 1024L * 1024 * 1024;
            default -> 1L;
        };
        try {
            return Math.multiplyExact(number, multiplier);
        } catch (ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is too large");
        }
    }
}

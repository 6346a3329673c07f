package org.ipclab.comparison.cli;

import java.time.Duration;
import java.util.Locale;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses "500ms", "3s", "2m", "1h" or a plain number of seconds. */
public final class DurationConverter implements ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        String text = value.trim().toLowerCase(Locale.ROOT);
        try {
            if (text.endsWith("ms")) {
                return check(Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2))), value);
            }
            char unit = text.isEmpty() ? ' ' : text.charAt(text.length() - 1);
            String number = Character.isDigit(unit) ? text : text.substring(0, text.length() - 1);
            double amount = Double.parseDouble(number);
            double seconds = switch (unit) {
                case 's' -> amount;
                case 'm' -> amount * 60;
                case 'h' -> amount * 3600;
                default -> {
                    if (!Character.isDigit(unit)) {
                        throw new NumberFormatException();
                    }
                    yield amount;
                }
            };
            return check(Duration.ofNanos(Math.round(seconds * 1e9)), value);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is not a duration; write e.g. 500ms, 3s, 2m");
        }
    }

    private static Duration check(Duration duration, String value) {
        if (duration.isNegative()) {
            throw new TypeConversionException("'" + value + "' is negative; durations must be 0 or more");
        }
        return duration;
    }
}

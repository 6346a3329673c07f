package org.ipclab.report;

import java.util.List;

import org.ipclab.report.model.Results.Placement;

/** Small phrases the report's sentences are built from. */
final class Text {

    private Text() {
    }

    /** A transport id as inline code. */
    static String id(String transport) {
        return Markdown.code(transport);
    }

    static String us(double micros) {
        return Numbers.format(micros) + " µs";
    }

    /** A median round trip: in µs, or in ms from 1,000 µs on (a broker's are milliseconds). */
    static String latency(double micros) {
        return micros >= 1000 ? ms(micros / 1000) : us(micros);
    }

    static String ms(double millis) {
        return Numbers.format(millis) + " ms";
    }

    static String mibs(double mibPerSecond) {
        return Numbers.format(mibPerSecond) + " MiB/s";
    }

    /** "on the same CPU", "on different CPUs", "unpinned". */
    static String where(Placement placement) {
        return switch (placement) {
            case SAME_CPU -> "on the same CPU";
            case DIFFERENT_CPUS -> "on different CPUs";
            case UNPINNED -> "unpinned";
        };
    }

    /** The heading of a placement: what was pinned where. */
    static String title(Placement placement) {
        return switch (placement) {
            case SAME_CPU -> "Client and server on the same CPU";
            case DIFFERENT_CPUS -> "Client and server on different CPUs";
            case UNPINNED -> "Unpinned (the scheduler chose the CPUs)";
        };
    }

    /** A file-name-safe slug: "same-cpu", "different-cpus", "unpinned". */
    static String slug(Placement placement) {
        return placement.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** Capitalises the first letter of a sentence. */
    static String capital(String sentence) {
        return sentence.isEmpty() ? sentence : Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1);
    }

    /** "a", "a and b", "a, b and c". */
    static String join(List<String> items) {
        if (items.isEmpty()) {
            return "";
        }
        if (items.size() == 1) {
            return items.get(0);
        }
        return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
    }

    /** "1 transport", "3 transports". */
    static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }

    /** An ISO-8601 instant as a reader writes it, "2026-12-07 03:25 UTC"; anything else as it is. */
    static String instant(String isoInstant) {
        try {
            return java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", java.util.Locale.ROOT)
                    .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.parse(isoInstant));
        } catch (RuntimeException e) {
            return String.valueOf(isoInstant);
        }
    }
}

package org.ipclab.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks that every figure with a unit (µs, ms, s, MiB/s, KiB, MiB, B) in a piece of prose is a value present in
 * one results.json, formatted as the report formats it ({@link Numbers#format}, {@link Numbers#size}). The values
 * it knows are collected from the whole JSON tree: every {@code {value, unit}} quantity in each report unit, every
 * number whose field name carries its unit ({@code connectTimeoutMs}, {@code giveUpAfterS}, {@code sizeBytes}...),
 * and every figure written inside a text value (a property's "10+20+30 B read as 60 B"). A ratio (×), a count or a
 * percentage is not checked.
 *
 * <p>Use: {@code NumbersInProse.of(resultsJson).unknown(text)} is empty when every figure is the run's; the lead can
 * run it on a whole section of REPORT.md.
 */
public final class NumbersInProse {

    /** A number (digits, thin-space groups, a decimal part) and its unit, as the report writes them. */
    static final Pattern FIGURE = Pattern.compile(
            "(?<![\\w.+\\-])(\\d+(?:[\\u2009\\u202F]\\d{3})*(?:\\.\\d+)?)[ \\u00A0\\u2009]?(µs|μs|us|ms|s|MiB/s|GiB|MiB|KiB|B)(?![\\w/])");

    private final Set<String> known = new LinkedHashSet<>();

    private NumbersInProse(JsonNode tree) {
        collect(null, tree);
    }

    public static NumbersInProse of(JsonNode tree) {
        return new NumbersInProse(tree);
    }

    public static NumbersInProse of(Path resultsJson) throws IOException {
        return new NumbersInProse(new ObjectMapper().readTree(Files.readString(resultsJson)));
    }

    /** The results as results.json holds them (written the way {@link ReportWriter#writeJson} writes them). */
    public static NumbersInProse of(Results results, Path scratchDir) throws IOException {
        Path file = Files.createTempFile(scratchDir, "results", ".json");
        ReportWriter.writeJson(results, file);
        return of(file);
    }

    /** Every figure with a unit in {@code text}, normalised ("4.79 µs", "64 KiB"), in order. */
    public static List<String> figures(String text) {
        List<String> out = new ArrayList<>();
        Matcher matcher = FIGURE.matcher(text);
        while (matcher.find()) {
            out.add(normalise(matcher.group(1), matcher.group(2)));
        }
        return out;
    }

    /** The figures of {@code text} that are not values of the results. */
    public List<String> unknown(String text) {
        return figures(text).stream().filter(f -> !known.contains(f)).toList();
    }

    /** True when {@code figure} ("12.3 µs") is one of the results' values as the report formats them. */
    public boolean knows(String figure) {
        return known.contains(figure);
    }

    private static String normalise(String number, String unit) {
        String bare = number.replace("\u2009", "").replace("\u202F", "");
        String u = switch (unit) {
            case "μs", "us" -> "µs";
            default -> unit;
        };
        return bare + " " + u;
    }

    private void collect(String field, JsonNode node) {
        if (node == null || node.isNull()) {
            return;
        }
        if (node.isObject()) {
            JsonNode value = node.get("value");
            JsonNode unit = node.get("unit");
            if (value != null && value.isNumber() && unit != null && unit.isTextual()) {
                quantity(Quantity.of(value.asDouble(), unit.asText()));
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                collect(e.getKey(), e.getValue());
            }
        } else if (node.isArray()) {
            for (JsonNode item : node) {
                collect(field, item);
            }
        } else if (node.isNumber()) {
            named(field, node.asDouble());
        } else if (node.isTextual()) {
            known.addAll(figures(node.asText()));
            try {
                named(field, Double.parseDouble(node.asText().trim()));
            } catch (NumberFormatException ignored) {
                // a text that is not a bare number (most are): its figures were taken above
            }
        }
    }

    /** A quantity in every report unit it converts to. */
    private void quantity(Quantity q) {
        try {
            known.add(Numbers.format(Numbers.micros(q)) + " µs");
            known.add(Numbers.format(Numbers.millis(q)) + " ms");
            known.add(Numbers.format(Numbers.millis(q) / 1e3) + " s");
            return;
        } catch (IllegalArgumentException notATime) {
            // not a time: try a rate, then a size
        }
        try {
            known.add(Numbers.format(Numbers.mibPerSecond(q)) + " MiB/s");
            return;
        } catch (IllegalArgumentException notARate) {
            // not a rate either
        }
        if ("bytes".equalsIgnoreCase(q.unit()) || "B".equals(q.unit())) {
            bytes(q.value());
        }
    }

    /** A number whose field name says its unit: ...Ms, ...Us, ...Ns, ...S, ...AtS, ...Bytes, ..._bytes. */
    private void named(String field, double value) {
        if (field == null) {
            return;
        }
        if (field.endsWith("Ms") || field.endsWith("_ms")) {
            time(value / 1e3);
        } else if (field.endsWith("Us")) {
            time(value / 1e6);
        } else if (field.endsWith("Ns")) {
            time(value / 1e9);
        } else if (field.endsWith("S") && Character.isLowerCase(field.charAt(Math.max(0, field.length() - 2)))) {
            time(value);
        } else if (field.endsWith("Bytes") || field.endsWith("bytes") || field.endsWith("Bytes[]")) {
            bytes(value);
        }
    }

    private void time(double seconds) {
        known.add(Numbers.format(seconds * 1e6) + " µs");
        known.add(Numbers.format(seconds * 1e3) + " ms");
        known.add(Numbers.format(seconds) + " s");
    }

    private void bytes(double value) {
        long whole = Math.round(value);
        known.add(Numbers.size(whole));
        known.add(whole + " B");
    }
}

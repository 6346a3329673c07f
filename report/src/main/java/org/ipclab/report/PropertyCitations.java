package org.ipclab.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import org.ipclab.report.model.Results.PropertyResult;

/**
 * The property experiments' values as the prose cites them: "`tcp` and `unix` “duplex”; `pipe` “one-way”". A value
 * is quoted as the run recorded it, so the prose says what the matrix says; a transport the run did not measure
 * for that property is named as "not measured in this run", never guessed.
 */
final class PropertyCitations {

    static final String NOT_MEASURED = "not measured in this run";

    private final Measurements m;

    PropertyCitations(Measurements m) {
        this.m = m;
    }

    /**
     * The name of the property experiment whose name contains every one of {@code words} (the experiments name
     * their properties in the lab's words: "direction", "message boundaries", "survives a crash", "who can
     * connect"), or empty when this run has none.
     */
    Optional<String> property(String... words) {
        return m.propertyNames().stream().filter(name -> {
            String lower = name.toLowerCase(Locale.ROOT);
            for (String word : words) {
                if (!lower.contains(word)) {
                    return false;
                }
            }
            return true;
        }).findFirst();
    }

    /** The value this run observed for one transport, or empty (not measured, or not demonstrated here). */
    Optional<String> value(Optional<String> property, String transport) {
        return property.flatMap(p -> m.property(transport, p)).filter(PropertyResult::observed)
                .map(PropertyResult::value);
    }

    /** "`tcp` and `unix` “duplex”; `pipe` “one-way”", transports with the same value together, in order. */
    String cite(Optional<String> property, List<String> transports) {
        Map<String, List<String>> byValue = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (String transport : transports) {
            Optional<String> value = value(property, transport);
            if (value.isPresent()) {
                byValue.computeIfAbsent(value.get(), v -> new ArrayList<>()).add(Text.id(transport));
            } else {
                missing.add(Text.id(transport));
            }
        }
        List<String> parts = new ArrayList<>();
        byValue.forEach((value, ids) -> parts.add(Text.join(ids) + " “" + Markdown.escape(value) + "”"));
        if (!missing.isEmpty()) {
            parts.add(Text.join(missing) + " " + NOT_MEASURED);
        }
        return String.join("; ", parts);
    }

    /** Of {@code transports}, those whose observed value for the property starts with {@code prefix}. */
    List<String> startingWith(Optional<String> property, List<String> transports, String prefix) {
        return transports.stream().filter(t -> value(property, t)
                .map(v -> v.toLowerCase(Locale.ROOT).startsWith(prefix)).orElse(false)).toList();
    }
}

package org.ipclab.comparison.viva;

import java.util.LinkedHashMap;
import java.util.Map;

import org.ipclab.report.Numbers;
import org.ipclab.report.model.VivaAnswer;

/**
 * The values one experiment measured, each kept as the text the answer prints: an answer takes its numbers from
 * here, so the sentence and the table of measured values can never disagree. Numbers are written by the report's
 * own formatter ({@link Numbers}).
 */
final class Measured {

    private final Map<String, String> values = new LinkedHashMap<>();

    /** Records {@code value} under {@code name}; returns its text for the sentence. */
    String put(String name, Object value) {
        String text = String.valueOf(value);
        values.put(name, text);
        return text;
    }

    /** A duration in milliseconds, three significant digits ("0.0412", "301"). */
    String ms(String name, double millis) {
        return put(name, Numbers.format(millis));
    }

    /** A duration in microseconds, three significant digits. */
    String us(String name, double micros) {
        return put(name, Numbers.format(micros));
    }

    /** A count with thousands grouped ("1 048 576"). */
    String count(String name, long value) {
        return put(name, Numbers.count(value));
    }

    String get(String name) {
        return values.get(name);
    }

    /** The answer, measured in this run. */
    VivaAnswer answer(VivaExperiment experiment, String sentences) {
        return new VivaAnswer(experiment.id(), experiment.question(), sentences, values, true, null);
    }

    /** The answer, where part of it (or all) could not be measured; {@code reason} says what and why. */
    VivaAnswer answer(VivaExperiment experiment, String sentences, boolean observed, String reason) {
        return new VivaAnswer(experiment.id(), experiment.question(), sentences, values, observed, reason);
    }
}

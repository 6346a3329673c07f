package org.ipclab.report.model;

import java.util.Map;

/**
 * One question an examiner asks at the lab's viva, answered from this run: a small experiment made the system
 * calls the question is about, and the answer is a sentence built from what it measured.
 *
 * @param id       a short stable key, e.g. "tcp-vs-udp", "ephemeral-port"
 * @param question the question as the examiner asks it
 * @param answer   two to four sentences; every number in them is one of {@code measured}
 * @param measured what the experiment measured, name → value as the answer prints it (insertion order kept),
 *                 e.g. "clientPort" → "41234", "portRange" → "32768-60999"
 * @param observed true when the answer rests on this run's measurement; false when the experiment failed or the
 *                 mechanism is not in ipc-lab, so nothing could be measured (then {@code reason} says which)
 * @param reason   what was not measured and why; null when everything the answer says was measured
 */
public record VivaAnswer(String id, String question, String answer, Map<String, String> measured, boolean observed,
                         String reason) {

    public VivaAnswer {
        measured = measured == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(measured));
    }

    /** The experiment behind {@code id} failed: the answer says so, with the reason, and measures nothing. */
    public static VivaAnswer failed(String id, String question, String reason) {
        String why = "failed: " + reason;
        return new VivaAnswer(id, question, "This run could not answer it: " + why, Map.of(), false, why);
    }
}

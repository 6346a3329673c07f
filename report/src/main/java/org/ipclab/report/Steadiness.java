package org.ipclab.report;

import java.util.List;

import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.Placement;

/** The steadiness target: do two runs in the same directory agree on every same-CPU median? */
final class Steadiness {

    static final double MAX_P50_DRIFT = 0.10;

    private final Measurements m;

    Steadiness(Measurements m) {
        this.m = m;
    }

    /**
     * The steadiness target: this run's same-CPU medians against those of the run that wrote results.json into
     * the same directory before it. Adds a row when there is one; returns the clause that says which run
     * it was, or how to get one.
     */
    String judge(MarkdownTable table, List<String> missed) {
        Results.PreviousRun previous = m.results.previous();
        if (previous == null || previous.latency() == null) {
            return " (steadiness needs a second run: run the same `compare` again with the same `--out`, and its"
                    + " report sets the two side by side)";
        }
        double worst = -1;
        String worstWhere = "";
        int compared = 0;
        for (LatencyResult before : previous.latency()) {
            if (before.placement() != Placement.SAME_CPU || before.p50() == null) {
                continue;
            }
            Double now = m.p50Us(before.transport(), Placement.SAME_CPU, before.sizeBytes());
            double then = Numbers.micros(before.p50());
            if (now == null || then <= 0) {
                continue;
            }
            compared++;
            double drift = Math.abs(now - then) / then;
            if (drift > worst) {
                worst = drift;
                worstWhere = Text.id(before.transport()) + " at " + Numbers.size(before.sizeBytes()) + ": "
                        + Text.latency(then) + " → " + Text.latency(now);
            }
        }
        String which = " (steadiness against the previous run in this directory, started " + Text.instant(previous.startedAt())
                + " in " + previous.mode() + " mode";
        if (compared == 0) {
            return which + "; it has no same-CPU medians to compare)";
        }
        boolean met = worst <= MAX_P50_DRIFT;
        table.row("steadiness: same-CPU p50 against the previous run", "all (" + compared + " medians)",
                "worst: " + worstWhere, Numbers.percent(worst), "≤ " + Numbers.percent(MAX_P50_DRIFT),
                met ? "yes" : "**no**");
        if (!met) {
            missed.add("steadiness: " + worstWhere + " moved " + Numbers.percent(worst) + " between two runs (goal ≤ "
                    + Numbers.percent(MAX_P50_DRIFT) + ")");
        }
        return which + ")";
    }
}

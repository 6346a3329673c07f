package org.ipclab.comparison.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.Placement;

/** The rounds of the target points as results.json records them: round 1 is the main run, later ones the repeats. */
final class TargetRounds {

    private TargetRounds() {
    }

    /** Round 1 of every repeated point is the run's main measurement, Java's and the C floor's. */
    static List<Results.RoundResult> withFirstRounds(List<Results.RoundResult> later, List<LatencyResult> latency,
                                                             List<Results.NativeResult> floor) {
        List<Results.RoundResult> all = new ArrayList<>();
        later.stream().map(r -> List.of(r.transport(), r.placement(), r.sizeBytes())).distinct().forEach(key -> {
            String id = (String) key.get(0);
            Placement placement = (Placement) key.get(1);
            int size = (Integer) key.get(2);
            Optional<LatencyResult> java = latency.stream().filter(l -> l.transport().equals(id)
                    && l.placement() == placement && l.sizeBytes() == size).findFirst();
            Optional<org.ipclab.report.model.Quantity> cP50 = nativeValue(floor, id, placement, size, "rtt_p50");
            if (java.isPresent() && cP50.isPresent()) {
                all.add(new Results.RoundResult(id, placement, size, 1, java.get().p50(), java.get().p99(), cP50.get(),
                        nativeValue(floor, id, placement, size, "rtt_p99").orElse(null)));
            }
        });
        all.addAll(later);
        return all;
    }

    private static Optional<org.ipclab.report.model.Quantity> nativeValue(List<Results.NativeResult> floor, String id,
                                                                          Placement placement, int size, String metric) {
        return floor.stream().filter(n -> n.transport().equals(id) && n.placement() == placement
                && n.sizeBytes() == size && n.metric().equals(metric)).map(Results.NativeResult::value).findFirst();
    }
}

package org.ipclab.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import org.ipclab.report.chart.TransportPalette;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results;
import org.ipclab.report.model.Results.CpuResult;
import org.ipclab.report.model.Results.LatencyResult;
import org.ipclab.report.model.Results.NativeResult;
import org.ipclab.report.model.Results.Placement;
import org.ipclab.report.model.Results.PropertyResult;
import org.ipclab.report.model.Results.SetupResult;
import org.ipclab.report.model.Results.ThroughputResult;
import org.ipclab.report.model.Results.TransportStatus;

/**
 * The results indexed for the report, and the few things the text derives from them: the reference message
 * size, rankings, which transports spin, the cost of crossing CPUs. Every derived number in REPORT.md is
 * computed here or next to where it is printed, from {@link Results} only. Missing lists count as empty.
 */
final class Measurements {

    /**
     * A side (client or server) whose CPU time per round trip is at least this share of the wall time never
     * slept while it waited: it was spinning (or working) the whole time.
     */
    static final double SPIN_CPU_SHARE = 0.9;

    /**
     * Spinning is judged on small messages only: with 64 KiB or 1 MiB a side can be busy for the whole
     * round trip because it is copying bytes, not because it spins while it waits.
     */
    static final int SPIN_MAX_SIZE_BYTES = 1024;

    /** The small-message size the text prefers for its headline sentences, when the run measured it widely. */
    static final int PREFERRED_SMALL_SIZE_BYTES = 64;

    final Results results;
    /** What each transport declared about itself. */
    final Descriptors descriptors;
    /** Every transport of the run: in the descriptors' order, then any without a descriptor. */
    final List<String> transports;
    /** Each transport's colour and marker in every chart. */
    final TransportPalette palette;
    final List<Placement> latencyPlacements;
    final List<Integer> latencySizes;
    private final Map<String, TransportStatus> status = new LinkedHashMap<>();
    private final Map<Key, LatencyResult> latency = new HashMap<>();
    private final Map<Key, CpuResult> cpu = new HashMap<>();

    private record Key(String transport, Placement placement, int size) {
    }

    /** A transport and its median round trip at one size and placement, in µs. */
    record Ranked(String transport, double p50Us) {
    }

    /** Evidence that a transport spins: its busiest side in one CPU measurement. */
    record Spin(String transport, CpuResult row, String side, double share) {
    }

    /** One transport's median round trip on the same CPU and on different CPUs, at one size. */
    record CrossCpu(String transport, int size, double sameUs, double differentUs) {
        double ratio() {
            return differentUs / sameUs;
        }

        /** Extra time per round trip; a round trip wakes the server once and the client once. */
        double extraPerWakeUs() {
            return (differentUs - sameUs) / 2;
        }
    }

    Measurements(Results results) {
        this.results = results;
        this.descriptors = new Descriptors(results.descriptors());
        check("latency", latencyRows(), LatencyResult::transport, LatencyResult::placement);
        check("throughput", list(results.throughput()), ThroughputResult::transport, ThroughputResult::placement);
        check("cpu", list(results.cpu()), CpuResult::transport, CpuResult::placement);
        check("nativeFloor", list(results.nativeFloor()), NativeResult::transport, NativeResult::placement);
        check("setup", list(results.setup()), SetupResult::transport, null);
        check("properties", list(results.properties()), PropertyResult::transport, null);
        check("transports", list(results.transports()), TransportStatus::id, null);
        Set<String> ids = new LinkedHashSet<>();
        for (TransportStatus t : list(results.transports())) {
            ids.add(t.id());
            status.put(t.id(), t);
        }
        EnumSet<Placement> placements = EnumSet.noneOf(Placement.class);
        TreeSet<Integer> sizes = new TreeSet<>();
        for (LatencyResult row : latencyRows()) {
            ids.add(row.transport());
            placements.add(row.placement());
            sizes.add(row.sizeBytes());
            latency.put(new Key(row.transport(), row.placement(), row.sizeBytes()), row);
        }
        for (ThroughputResult row : list(results.throughput())) {
            ids.add(row.transport());
        }
        for (SetupResult row : list(results.setup())) {
            ids.add(row.transport());
        }
        for (CpuResult row : list(results.cpu())) {
            ids.add(row.transport());
            cpu.put(new Key(row.transport(), row.placement(), row.sizeBytes()), row);
        }
        for (PropertyResult row : list(results.properties())) {
            ids.add(row.transport());
        }
        this.transports = List.copyOf(descriptors.sorted(ids));
        this.palette = TransportPalette.of(transports, descriptors::colour);
        this.latencyPlacements = List.copyOf(placements);
        this.latencySizes = List.copyOf(sizes);
    }

    /** Every row must say which transport (and placement, where it has one) it belongs to, or it has no table. */
    private static <T> void check(String list, List<T> rows, Function<T, String> transport,
                                  Function<T, Placement> placement) {
        for (int i = 0; i < rows.size(); i++) {
            T row = rows.get(i);
            String missing = row == null ? "content" : transport.apply(row) == null ? "transport"
                    : placement != null && placement.apply(row) == null ? "placement" : null;
            if (missing != null) {
                throw new IllegalArgumentException(list + "[" + i + "] has no " + missing + ": " + row);
            }
        }
    }

    static <T> List<T> list(List<T> maybeNull) {
        return maybeNull == null ? List.of() : maybeNull;
    }

    List<LatencyResult> latencyRows() {
        return list(results.latency());
    }

    List<ThroughputResult> throughputRows() {
        return list(results.throughput());
    }

    List<SetupResult> setupRows() {
        return list(results.setup());
    }

    List<CpuResult> cpuRows() {
        return list(results.cpu());
    }

    List<PropertyResult> propertyRows() {
        return list(results.properties());
    }

    List<NativeResult> nativeRows() {
        return list(results.nativeFloor());
    }

    Optional<TransportStatus> status(String transport) {
        return Optional.ofNullable(status.get(transport));
    }

    List<TransportStatus> statuses(String which) {
        return status.values().stream().filter(t -> which.equalsIgnoreCase(t.status())).toList();
    }

    Optional<LatencyResult> latency(String transport, Placement placement, int size) {
        return Optional.ofNullable(latency.get(new Key(transport, placement, size)));
    }

    /** The median round trip in µs, or null when not measured. */
    Double p50Us(String transport, Placement placement, int size) {
        return latency(transport, placement, size).map(r -> micros(r.p50())).orElse(null);
    }

    /** The 99th-percentile round trip in µs, or null when not measured. */
    Double p99Us(String transport, Placement placement, int size) {
        return latency(transport, placement, size).map(r -> micros(r.p99())).orElse(null);
    }

    static Double micros(Quantity quantity) {
        return quantity == null ? null : Numbers.micros(quantity);
    }

    List<String> latencyTransports() {
        return transports.stream().filter(t -> latencyRows().stream().anyMatch(r -> r.transport().equals(t)))
                .toList();
    }

    /**
     * The size the headline sentences use: among the sizes measured for the most (transport, placement) pairs,
     * {@value #PREFERRED_SMALL_SIZE_BYTES} B if it is one of them, else the smallest non-empty one. -1 if no
     * latency was measured.
     */
    int referenceSize() {
        Map<Integer, Integer> coverage = new HashMap<>();
        for (LatencyResult row : latencyRows()) {
            if (row.sizeBytes() > 0 && row.p50() != null) {
                coverage.merge(row.sizeBytes(), 1, Integer::sum);
            }
        }
        if (coverage.isEmpty()) {
            return latencySizes.isEmpty() ? -1 : latencySizes.get(0);
        }
        int best = coverage.values().stream().max(Integer::compare).orElseThrow();
        if (coverage.getOrDefault(PREFERRED_SMALL_SIZE_BYTES, 0) == best) {
            return PREFERRED_SMALL_SIZE_BYTES;
        }
        return coverage.entrySet().stream().filter(e -> e.getValue() == best).map(Map.Entry::getKey)
                .min(Integer::compare).orElseThrow();
    }

    /** The placements that were pinned (same CPU, different CPUs) and measured, in that order. */
    List<Placement> pinnedPlacements() {
        return latencyPlacements.stream().filter(p -> p != Placement.UNPINNED).toList();
    }

    /** Fastest first, by median round trip, at one placement and size. */
    List<Ranked> ranking(Placement placement, int size) {
        List<Ranked> ranked = new ArrayList<>();
        for (String transport : transports) {
            Double p50 = p50Us(transport, placement, size);
            if (p50 != null) {
                ranked.add(new Ranked(transport, p50));
            }
        }
        ranked.sort(Comparator.comparingDouble(Ranked::p50Us));
        return ranked;
    }

    /**
     * The busiest side of each transport that has one at or above {@link #SPIN_CPU_SHARE}; at most one per transport.
     * A transport whose descriptor says it sleeps while it waits is not among them, however busy it was: its CPU
     * went to work (a broker's), not to waiting.
     */
    List<Spin> spinners() {
        Map<String, Spin> busiest = new LinkedHashMap<>();
        for (CpuResult row : cpuRows()) {
            if (descriptors.of(row.transport()).isPresent() && !descriptors.busySpinsWhenMeasured(row.transport())) {
                continue;
            }
            if (row.wallPerRoundTrip() == null || row.wallPerRoundTrip().value() <= 0
                    || row.sizeBytes() > SPIN_MAX_SIZE_BYTES) {
                continue;
            }
            double wall = Numbers.micros(row.wallPerRoundTrip());
            for (String side : List.of("client", "server")) {
                Quantity q = side.equals("client") ? row.clientPerRoundTrip() : row.serverPerRoundTrip();
                if (q == null) {
                    continue;
                }
                double share = Numbers.micros(q) / wall;
                Spin current = busiest.get(row.transport());
                if (share >= SPIN_CPU_SHARE && (current == null || share > current.share())) {
                    busiest.put(row.transport(), new Spin(row.transport(), row, side, share));
                }
            }
        }
        List<Spin> spins = new ArrayList<>();
        for (String transport : transports) {
            if (busiest.containsKey(transport)) {
                spins.add(busiest.get(transport));
            }
        }
        return spins;
    }

    /**
     * True when the transport spins while it waits: its benchmark settings say so, or — in a run that recorded no
     * descriptor — its CPU time shows it. (A spinner that backs off can show less than a whole CPU and still spin.)
     */
    boolean spins(String transport) {
        return descriptors.of(transport).isPresent() ? descriptors.busySpinsWhenMeasured(transport)
                : spinners().stream().anyMatch(s -> s.transport().equals(transport));
    }

    /** Every transport measured both on the same CPU and on different CPUs at {@code size}. */
    List<CrossCpu> crossCpu(int size) {
        List<CrossCpu> rows = new ArrayList<>();
        for (String transport : transports) {
            Double same = p50Us(transport, Placement.SAME_CPU, size);
            Double different = p50Us(transport, Placement.DIFFERENT_CPUS, size);
            if (same != null && different != null && same > 0) {
                rows.add(new CrossCpu(transport, size, same, different));
            }
        }
        return rows;
    }

    /** Sizes at which at least one transport was measured on both pinned placements. */
    List<Integer> crossCpuSizes() {
        return latencySizes.stream().filter(size -> !crossCpu(size).isEmpty()).toList();
    }

    /** Throughput rows ordered by transport order, then placement, then write size. */
    List<ThroughputResult> throughputSorted() {
        List<ThroughputResult> rows = new ArrayList<>(throughputRows());
        rows.sort(Comparator.comparingInt((ThroughputResult r) -> transports.indexOf(r.transport()))
                .thenComparing(ThroughputResult::placement).thenComparingInt(ThroughputResult::messageBytes));
        return rows;
    }

    /** Set-up rows, cheapest first. */
    List<SetupResult> setupSorted() {
        List<SetupResult> rows = new ArrayList<>(setupRows());
        rows.removeIf(r -> r.p50() == null);
        rows.sort(Comparator.comparingDouble(r -> Numbers.millis(r.p50())));
        return rows;
    }

    /** Set-up rows with a p50 above zero, cheapest first: the ones a ratio can be taken of. */
    List<SetupResult> setupPositive() {
        return setupSorted().stream().filter(r -> Numbers.millis(r.p50()) > 0).toList();
    }

    /**
     * Set-up rows that open a channel the transport's own way, cheapest first: a variant that starts a JVM is left
     * out, since JVM start-up, not the mechanism, is most of its time. These are the rows compared like with like.
     */
    List<SetupResult> setupLikeForLike() {
        return setupPositive().stream().filter(r -> !descriptors.startsJvm(r) && !startsEnvironment(r)).toList();
    }

    /**
     * True for the row that timed starting what a transport needs before any channel (a broker): it runs once per
     * run, not per conversation, so it is not compared with opening a channel.
     */
    static boolean startsEnvironment(SetupResult row) {
        return Appendix.ENVIRONMENT.equals(row.variant());
    }

    List<CpuResult> cpuSorted() {
        List<CpuResult> rows = new ArrayList<>(cpuRows());
        rows.sort(Comparator.comparing(CpuResult::placement)
                .thenComparingInt((CpuResult r) -> transports.indexOf(r.transport()))
                .thenComparingInt(CpuResult::sizeBytes));
        return rows;
    }

    /** Property names in the order they first appear. */
    List<String> propertyNames() {
        Set<String> names = new LinkedHashSet<>();
        for (PropertyResult row : propertyRows()) {
            names.add(row.property());
        }
        return List.copyOf(names);
    }

    Optional<PropertyResult> property(String transport, String property) {
        return propertyRows().stream()
                .filter(r -> r.transport().equals(transport) && r.property().equals(property)).findFirst();
    }

    /** Every placement that appears anywhere in the measurements, in enum order. */
    Set<Placement> allPlacements() {
        EnumSet<Placement> all = EnumSet.noneOf(Placement.class);
        all.addAll(latencyPlacements);
        throughputRows().forEach(r -> all.add(r.placement()));
        cpuRows().forEach(r -> all.add(r.placement()));
        return all;
    }

    /** The fact's value, or null. */
    String fact(String name) {
        if (results.environment() == null || results.environment().facts() == null) {
            return null;
        }
        return results.environment().facts().get(name);
    }

    static double median(Collection<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        if (n == 0) {
            return Double.NaN;
        }
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}

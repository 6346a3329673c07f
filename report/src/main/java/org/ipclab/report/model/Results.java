package org.ipclab.report.model;

import java.util.List;

import org.ipclab.core.TransportDescriptor;

/**
 * Everything one {@code ./ipc-lab compare} run measured: the content of results.json and the only source of
 * numbers and machine-dependent statements in REPORT.md. Schema: {@link #SCHEMA}, documented in the README.
 *
 * @param schema       {@value #SCHEMA}
 * @param run          when, how long, with which settings
 * @param environment  the machine, read during the run
 * @param transports   every transport: measured, or skipped with the reason
 * @param latency      round-trip latency percentiles per transport, size and placement (JMH SampleTime)
 * @param throughput   streaming echo throughput per transport and placement
 * @param setup        time to the first echo (connect, spawn a child, open a queue)
 * @param cpu          CPU time per round trip, client and server
 * @param properties   the property experiments (direction, boundaries, capacity, ...)
 * @param backlog      the listen() backlog experiment (may be null when it did not run), as JSON
 * @param nativeFloor  the C floor measured in the same run (may be empty)
 * @param notes        anything the reader must know about this run (failures, skipped parts)
 * @param previous     the run written to the same directory before this one (optional)
 * @param descriptors  what each transport of the run declares about itself: order, colour, the system calls of a
 *                     round trip, its set-up variants (missing in files written before it existed: the report
 *                     then falls back to neutral colours and no diagrams)
 * @param lab          the lab's own part: the listed program's sources, its run, the viva answers (null in files
 *                     written before it existed, or when the run left it out)
 * @param serverModels the server-design sweep: TCP echo servers of each model against rising numbers of clients
 *                     (null or empty when it did not run)
 * @param serverMemory what each design's server holds after load with many idle connections (null when not run)
 * @param rounds       the repeated rounds of each target point, Java and C measured one right after the other
 *                     (null when not run)
 * @param network      measurements across an emulated link between two network namespaces ({@code ./ipc-lab across};
 *                     null when not run)
 * @param failover     what a cluster lost when a node was killed ({@code ./ipc-lab failover kafka}, which adds its
 *                     entries to the results.json of its --out; null when not run)
 */
public record Results(String schema, RunInfo run, Environment environment, List<TransportStatus> transports,
                      List<LatencyResult> latency, List<ThroughputResult> throughput, List<SetupResult> setup,
                      List<CpuResult> cpu, List<PropertyResult> properties,
                      com.fasterxml.jackson.databind.JsonNode backlog, List<NativeResult> nativeFloor,
                      List<String> notes, PreviousRun previous, List<TransportDescriptor> descriptors,
                      LabRecord lab, List<ServerModelResult> serverModels, List<ServerMemoryResult> serverMemory,
                      List<RoundResult> rounds, List<NetworkResult> network, List<FailoverResult> failover) {

    public static final String SCHEMA = "ipc-lab/results/v1";

    /** A run without a failover experiment, as results.json files written before it existed are. */
    public Results(String schema, RunInfo run, Environment environment, List<TransportStatus> transports,
                   List<LatencyResult> latency, List<ThroughputResult> throughput, List<SetupResult> setup,
                   List<CpuResult> cpu, List<PropertyResult> properties,
                   com.fasterxml.jackson.databind.JsonNode backlog, List<NativeResult> nativeFloor,
                   List<String> notes, PreviousRun previous, List<TransportDescriptor> descriptors,
                   LabRecord lab, List<ServerModelResult> serverModels, List<ServerMemoryResult> serverMemory,
                   List<RoundResult> rounds, List<NetworkResult> network) {
        this(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog, nativeFloor,
                notes, previous, descriptors, lab, serverModels, serverMemory, rounds, network, null);
    }

    /** A run without measurements across a link, as results.json files written before they existed are. */
    public Results(String schema, RunInfo run, Environment environment, List<TransportStatus> transports,
                   List<LatencyResult> latency, List<ThroughputResult> throughput, List<SetupResult> setup,
                   List<CpuResult> cpu, List<PropertyResult> properties,
                   com.fasterxml.jackson.databind.JsonNode backlog, List<NativeResult> nativeFloor,
                   List<String> notes, PreviousRun previous, List<TransportDescriptor> descriptors,
                   LabRecord lab, List<ServerModelResult> serverModels, List<ServerMemoryResult> serverMemory,
                   List<RoundResult> rounds) {
        this(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog, nativeFloor,
                notes, previous, descriptors, lab, serverModels, serverMemory, rounds, null);
    }

    /** A run without repeated rounds of the target points, as results.json files written before them are. */
    public Results(String schema, RunInfo run, Environment environment, List<TransportStatus> transports,
                   List<LatencyResult> latency, List<ThroughputResult> throughput, List<SetupResult> setup,
                   List<CpuResult> cpu, List<PropertyResult> properties,
                   com.fasterxml.jackson.databind.JsonNode backlog, List<NativeResult> nativeFloor,
                   List<String> notes, PreviousRun previous, List<TransportDescriptor> descriptors,
                   LabRecord lab, List<ServerModelResult> serverModels, List<ServerMemoryResult> serverMemory) {
        this(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog, nativeFloor,
                notes, previous, descriptors, lab, serverModels, serverMemory, null);
    }

    /** A run without the server-design sweep, as results.json files written before it existed are. */
    public Results(String schema, RunInfo run, Environment environment, List<TransportStatus> transports,
                   List<LatencyResult> latency, List<ThroughputResult> throughput, List<SetupResult> setup,
                   List<CpuResult> cpu, List<PropertyResult> properties,
                   com.fasterxml.jackson.databind.JsonNode backlog, List<NativeResult> nativeFloor,
                   List<String> notes, PreviousRun previous, List<TransportDescriptor> descriptors, LabRecord lab) {
        this(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog, nativeFloor,
                notes, previous, descriptors, lab, null, null);
    }

    /** A run without the lab's part, as results.json files written before it existed are. */
    public Results(String schema, RunInfo run, Environment environment, List<TransportStatus> transports,
                   List<LatencyResult> latency, List<ThroughputResult> throughput, List<SetupResult> setup,
                   List<CpuResult> cpu, List<PropertyResult> properties,
                   com.fasterxml.jackson.databind.JsonNode backlog, List<NativeResult> nativeFloor,
                   List<String> notes, PreviousRun previous, List<TransportDescriptor> descriptors) {
        this(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog, nativeFloor,
                notes, previous, descriptors, null);
    }

    /** A run without descriptors, as results.json files written before they existed are. */
    public Results(String schema, RunInfo run, Environment environment, List<TransportStatus> transports,
                   List<LatencyResult> latency, List<ThroughputResult> throughput, List<SetupResult> setup,
                   List<CpuResult> cpu, List<PropertyResult> properties,
                   com.fasterxml.jackson.databind.JsonNode backlog, List<NativeResult> nativeFloor,
                   List<String> notes, PreviousRun previous) {
        this(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog, nativeFloor,
                notes, previous, null);
    }

    /** A run with no previous run to compare with (the field is optional in results.json). */
    public Results(String schema, RunInfo run, Environment environment, List<TransportStatus> transports,
                   List<LatencyResult> latency, List<ThroughputResult> throughput, List<SetupResult> setup,
                   List<CpuResult> cpu, List<PropertyResult> properties,
                   com.fasterxml.jackson.databind.JsonNode backlog, List<NativeResult> nativeFloor, List<String> notes) {
        this(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog, nativeFloor,
                notes, null);
    }

    /** This run, set beside the previous one written to the same directory (for the steadiness target). */
    public Results withPrevious(PreviousRun newPrevious) {
        return new Results(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog,
                nativeFloor, notes, newPrevious, descriptors, lab, serverModels, serverMemory, rounds, network, failover);
    }

    /** This run with the transports' descriptors. */
    public Results withDescriptors(List<TransportDescriptor> newDescriptors) {
        return new Results(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog,
                nativeFloor, notes, previous, newDescriptors, lab, serverModels, serverMemory, rounds, network, failover);
    }

    /** This run with the lab's part (program sources, lab run, viva). */
    public Results withLab(LabRecord newLab) {
        return new Results(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog,
                nativeFloor, notes, previous, descriptors, newLab, serverModels, serverMemory, rounds, network, failover);
    }

    /** This run with the server-design sweep. */
    public Results withServerModels(List<ServerModelResult> newServerModels) {
        return new Results(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog,
                nativeFloor, notes, previous, descriptors, lab, newServerModels, serverMemory, rounds, network, failover);
    }

    /** This run with the repeated rounds of its target points (Java and C, interleaved). */
    public Results withRounds(List<RoundResult> newRounds) {
        return new Results(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog,
                nativeFloor, notes, previous, descriptors, lab, serverModels, serverMemory, newRounds, network, failover);
    }

    /** This run with the measurements across an emulated link. */
    public Results withNetwork(List<NetworkResult> newNetwork) {
        return new Results(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog,
                nativeFloor, notes, previous, descriptors, lab, serverModels, serverMemory, rounds, newNetwork, failover);
    }

    /** This run with the failover experiment's entries. */
    public Results withFailover(List<FailoverResult> newFailover) {
        return new Results(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog,
                nativeFloor, notes, previous, descriptors, lab, serverModels, serverMemory, rounds, network, newFailover);
    }

    /** This run with the memory check of the server designs. */
    public Results withServerMemory(List<ServerMemoryResult> newServerMemory) {
        return new Results(schema, run, environment, transports, latency, throughput, setup, cpu, properties, backlog,
                nativeFloor, notes, previous, descriptors, lab, serverModels, newServerMemory, rounds, network, failover);
    }

    /**
     * The run that wrote results.json into the same directory before this one: when it started, its mode,
     * and its same-CPU round-trip latencies, so that a report can say how far two runs agree.
     */
    public record PreviousRun(String startedAt, String mode, List<LatencyResult> latency) {
    }

    /** Where a measurement ran: client and server on the same CPU, on different CPUs, or unpinned. */
    public enum Placement {
        SAME_CPU("same CPU"), DIFFERENT_CPUS("different CPUs"), UNPINNED("unpinned");

        private final String label;

        Placement(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param startedAt   ISO-8601 instant
     * @param durationS   wall time of the whole run
     * @param mode        quick, default or full
     * @param settings    sizes, transports, JMH iterations... as name → value text
     * @param commandLine what the user typed
     * @param version     ipc-lab version
     */
    public record RunInfo(String startedAt, double durationS, String mode, java.util.Map<String, String> settings,
                          String commandLine, String version) {
    }

    /**
     * @param facts name → value, e.g. "kernel" → "6.18.44", "cpu.model", "cpus", "jdk", "cpuidle.driver",
     *              "pipe.default_bytes", "net.core.somaxconn"
     * @param loadBefore /proc/loadavg 1-minute load when the run started
     * @param loadAfter  the same when it ended
     * @param otherBusyProcesses processes using CPU during the run, besides ours (what else was running)
     */
    public record Environment(java.util.Map<String, String> facts, double loadBefore, double loadAfter,
                              List<String> otherBusyProcesses) {
    }

    /** @param status "measured", "skipped" or "failed"; reason says why when not measured */
    public record TransportStatus(String id, String summary, String status, String reason) {
    }

    /**
     * @param samples number of round trips JMH sampled
     * @param verified number of echoes compared byte for byte (every one)
     */
    public record LatencyResult(String transport, Placement placement, int sizeBytes, long samples, long verified,
                                Quantity p50, Quantity p90, Quantity p99, Quantity p999, Quantity max) {
    }

    /** @param messageBytes size of each write; streamBytes bytes echoed per measured operation */
    public record ThroughputResult(String transport, Placement placement, int messageBytes, long streamBytes,
                                   Quantity mibPerSecond, long verifiedBytes) {
    }

    /**
     * @param what    e.g. "TCP connect + first echo", "spawn JVM child + first echo", "spawn cat + first echo"
     * @param variant the key of the transport's {@link TransportDescriptor.SetupVariant} that was timed ("" for its
     *                own way; null in files written before variants existed)
     */
    public record SetupResult(String transport, String what, Quantity p50, Quantity min, int samples, String variant) {

        /** A row of the transport's own set-up. */
        public SetupResult(String transport, String what, Quantity p50, Quantity min, int samples) {
            this(transport, what, p50, min, samples, "");
        }
    }

    /** CPU time (user + system, from /proc/[pid]/task/[tid]/schedstat) per round trip. */
    public record CpuResult(String transport, Placement placement, int sizeBytes, Quantity clientPerRoundTrip,
                            Quantity serverPerRoundTrip, Quantity wallPerRoundTrip) {
    }

    /**
     * One measured fact about one transport.
     *
     * @param property e.g. "direction", "message boundaries", "capacity before the writer blocks",
     *                 "sender with no peer", "survives a crash", "who can connect", "many clients"
     * @param value    the short answer for the matrix cell, e.g. "duplex", "65536 bytes", "ECONNREFUSED"
     * @param evidence what was done and what was seen, one or two sentences
     * @param observed true when this run measured it; false when it could not be demonstrated here (and why)
     */
    public record PropertyResult(String transport, String property, String value, String evidence, boolean observed) {
    }

    /** A native (C) floor measurement: same transport, size, placement, metric as the Java one. */
    public record NativeResult(String transport, Placement placement, int sizeBytes, String metric, Quantity value) {
    }

    /**
     * One round of a target point: the Java round trip and the C program's, measured one right after the other, so
     * that the machine's drift hits both. Round 1 is the run's main measurement; later rounds repeat it shorter.
     */
    public record RoundResult(String transport, Placement placement, int sizeBytes, int round,
                              Quantity javaP50, Quantity javaP99, Quantity nativeP50, Quantity nativeP99) {
    }
}

package org.ipclab.comparison.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ipclab.core.TransportIds;
import org.ipclab.core.experiments.Property;
import org.ipclab.report.model.Results.PropertyResult;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole matrix, run once as the harness runs it: every cell present once, the answers every Linux must give,
 * and nothing left behind (files, child processes, network namespaces).
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class PropertyExperimentsTest {

    @TempDir
    static Path scratch;

    static List<PropertyResult> results;
    static List<String> progress = new java.util.ArrayList<>();
    static double seconds;

    @BeforeAll
    static void runAll() throws IOException {
        long start = System.nanoTime();
        results = PropertyExperiments.run(TransportIds.ALL, scratch, progress::add);
        seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("property matrix: %.1f s%n", seconds);
        results.forEach(r -> System.out.println("  " + r.transport() + " | " + r.property() + " | " + r.value()
                + (r.observed() ? "" : " (not observed)")));
    }

    private static PropertyResult cell(String transport, String property) {
        return results.stream().filter(r -> r.transport().equals(transport) && r.property().equals(property))
                .findFirst().orElseThrow(() -> new AssertionError("no cell " + transport + " × " + property));
    }

    @Test
    void everyTransportAndPropertyExactlyOnceInOrder() {
        assertEquals(TransportIds.ALL.size() * Property.values().length, results.size());
        Map<String, Long> counts = results.stream()
                .collect(Collectors.groupingBy(r -> r.transport() + " × " + r.property(), Collectors.counting()));
        for (String transport : TransportIds.ALL) {
            for (String property : Arrays.stream(Property.values()).map(Property::label).toList()) {
                assertEquals(1L, counts.get(transport + " × " + property), transport + " × " + property);
            }
        }
        List<String> order = results.stream().map(r -> r.transport() + ": " + r.property()).toList();
        assertEquals(order, progress, "one progress line per experiment, in the order of the results");
        assertTrue(results.stream().allMatch(r -> !r.value().isBlank() && !r.evidence().isBlank()));
    }

    @Test
    void everyCellIsObservedOnLinuxExceptReachabilityWithoutRoot() {
        for (PropertyResult r : results) {
            if (r.transport().equals(TransportIds.TCP) && r.property().equals(Property.WHO_CAN_CONNECT.label())) {
                continue;
            }
            assertTrue(r.observed(), r.transport() + " × " + r.property() + ": " + r.evidence());
        }
        PropertyResult reach = cell(TransportIds.TCP, Property.WHO_CAN_CONNECT.label());
        if (!reach.observed()) {
            assertTrue(reach.evidence().startsWith("not demonstrated"), reach.evidence());
        }
    }

    @Test
    void streamsKeepNoBoundariesAndAreDuplexOnlyForSockets() {
        for (String stream : List.of(TransportIds.TCP, TransportIds.UNIX)) {
            assertTrue(cell(stream, Property.DIRECTION.label()).value().startsWith("duplex"), stream);
        }
        for (String oneWay : List.of(TransportIds.PIPE, TransportIds.FIFO)) {
            assertTrue(cell(oneWay, Property.DIRECTION.label()).value().startsWith("one-way"), oneWay);
        }
        for (String stream : List.of(TransportIds.TCP, TransportIds.UNIX, TransportIds.PIPE, TransportIds.FIFO)) {
            assertTrue(cell(stream, Property.MESSAGE_BOUNDARIES.label()).value().startsWith("none"), stream);
        }
        for (String messages : List.of(TransportIds.POSIX_MQ, TransportIds.CHRONICLE)) {
            assertEquals("kept: 10, 20, 30 B", cell(messages, Property.MESSAGE_BOUNDARIES.label()).value(), messages);
        }
    }

    @Test
    void onlyTheFilesystemAndKernelQueuesSurviveACrash() {
        for (String lost : List.of(TransportIds.TCP, TransportIds.UNIX, TransportIds.PIPE, TransportIds.FIFO)) {
            assertTrue(cell(lost, Property.SURVIVES_CRASH.label()).value().startsWith("no:"), lost);
        }
        for (String kept : List.of(TransportIds.POSIX_MQ, TransportIds.CHRONICLE)) {
            assertTrue(cell(kept, Property.SURVIVES_CRASH.label()).value().startsWith("yes"), kept);
        }
    }

    @Test
    void senderWithNoPeerFailsWithTheErrnoOfEachMechanism() {
        assertTrue(cell(TransportIds.TCP, Property.SENDER_WITH_NO_PEER.label()).value().startsWith("ECONNREFUSED"));
        assertTrue(cell(TransportIds.UNIX, Property.SENDER_WITH_NO_PEER.label()).value().startsWith("ENOENT"));
        assertTrue(cell(TransportIds.PIPE, Property.SENDER_WITH_NO_PEER.label()).value().startsWith("EPIPE"));
        assertTrue(cell(TransportIds.FIFO, Property.SENDER_WITH_NO_PEER.label()).value().startsWith("ENXIO"));
    }

    @Test
    void nothingIsLeftBehind() throws IOException {
        try (Stream<Path> left = Files.list(scratch)) {
            assertEquals(List.of(), left.toList(), "files left in the scratch directory");
        }
        // a child that is exiting right now is not left running: give each up to 5 s to go, then list what stays
        ProcessHandle.current().descendants().forEach(p -> {
            try {
                p.onExit().get(5, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception stillRunning) {
                // listed below
            }
        });
        assertEquals(List.of(), ProcessHandle.current().descendants().map(p -> p.pid() + " " + p.info().command().orElse("?"))
                .toList(), "child processes left running");
        assertEquals(List.of(), netnsLeft(), "network namespaces left");
        assertEquals(List.of(), queuesLeft(), "message queues left");
    }

    /** The experiments name their namespaces "ipclab-props-..." (`ip netns list`); none may outlive the run. */
    private static List<String> netnsLeft() throws IOException {
        Path netns = Path.of("/run/netns");
        if (!Files.isDirectory(netns)) {
            return List.of();
        }
        try (Stream<Path> names = Files.list(netns)) {
            return names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("ipclab-props-")).toList();
        }
    }

    /** This JVM's queues are "/ipclab-props-PID-n"; /dev/mqueue (mqueue file system) lists every queue. */
    private static List<String> queuesLeft() throws IOException {
        Path mqueue = Path.of("/dev/mqueue");
        if (!Files.isDirectory(mqueue)) {
            return List.of();
        }
        String mine = "ipclab-props-" + ProcessHandle.current().pid() + "-";
        try (Stream<Path> names = Files.list(mqueue)) {
            return names.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(mine)).toList();
        }
    }

    @Test
    void anUnknownTransportIsRefusedBeforeAnythingRuns() throws IOException {
        List<String> lines = new java.util.ArrayList<>();
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> PropertyExperiments.run(List.of(TransportIds.TCP, "carrier-pigeon"), scratch, lines::add));
        assertTrue(refused.getMessage().contains("carrier-pigeon"), refused.getMessage());
        assertEquals(List.of(), lines, "no experiment may start");
        try (Stream<Path> left = Files.list(scratch)) {
            assertFalse(left.findAny().isPresent(), "nothing may be created");
        }
    }
}

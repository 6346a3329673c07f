package org.ipclab.comparison.nativefloor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.ipclab.comparison.harness.CpuPlacement;
import org.ipclab.core.EchoTransport;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.Transports;
import org.ipclab.report.model.Quantity;
import org.ipclab.report.model.Results.NativeResult;
import org.ipclab.report.model.Results.Placement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The native floor: the C program builds, runs briefly, its output is read back, and nothing is left behind. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class NativeFloorTest {

    private static final Path TMP = Path.of(System.getProperty("java.io.tmpdir"));

    @TempDir
    Path dir;

    @Test
    void parsesMeasurementLinesAndSkipsContext() throws IOException {
        String output = """
                # tcp same: client pid 10, server pid 11
                tcp same 64 rtt_p50 4.420 us

                pipe different 65536 stream_mib_s 4691.5 MiB/s
                posix-mq unpinned 1048576 rtt_p99 812.25 us
                """;
        assertEquals(List.of(
                new NativeResult("tcp", Placement.SAME_CPU, 64, "rtt_p50", Quantity.of(4.42, "us")),
                new NativeResult("pipe", Placement.DIFFERENT_CPUS, 65536, "stream_mib_s", Quantity.of(4691.5, "MiB/s")),
                new NativeResult("posix-mq", Placement.UNPINNED, 1048576, "rtt_p99", Quantity.of(812.25, "us"))),
                NativeFloor.parse(output));
    }

    @Test
    void rejectsLinesThatAreNotMeasurements() {
        for (String bad : List.of("tcp same 64 rtt_p50 4.4", "tcp sideways 64 rtt_p50 4.4 us",
                "carrier-pigeon same 64 rtt_p50 4.4 us", "tcp same 64 rtt_p50 fast us", "tcp same 64 rtt_p50 NaN us")) {
            IOException e = assertThrows(IOException.class, () -> NativeFloor.parse("tcp same 64 rtt_p50 1 us\n" + bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
    }

    @Test
    void withoutACompilerTheFloorIsNotMeasuredAndSaysWhy() {
        assertEquals(Optional.empty(), NativeFloor.findCompiler(null, dir.toString()));
        NativeFloor.Outcome outcome = NativeFloor.run(Optional.empty(), List.of("tcp"), List.of(64),
                List.of(Placement.SAME_CPU), Duration.ofMillis(100), 0);
        assertTrue(outcome.rows().isEmpty());
        assertEquals(1, outcome.notes().size());
        assertTrue(outcome.notes().get(0).contains("not measured") && outcome.notes().get(0).contains("compiler"),
                outcome.notes().get(0));
    }

    @Test
    void theRepositorysNativeDirectoryHoldsTheBundledSource() throws IOException {
        Path repositoryCopy = Path.of("..").resolve(NativeFloor.REPOSITORY_SOURCE);
        assumeTrue(Files.exists(repositoryCopy), "needs the repository's native/ipclab_floor.c: run the tests from a checkout (mvn -pl comparison)");
        try (var bundled = NativeFloor.class.getResourceAsStream(NativeFloor.RESOURCE)) {
            assertTrue(bundled != null, "the C source is on the classpath");
            assertEquals(Files.readString(repositoryCopy), new String(bundled.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    @Test
    void theProgramCompilesAndItsDirectoryGoesAwayOnClose() throws IOException {
        assumeCompiler();
        Path work;
        try (NativeFloor floor = NativeFloor.compile()) {
            work = floor.workDir();
            assertTrue(Files.isExecutable(work.resolve("ipclab_floor")));
            floor.close();
            assertFalse(Files.exists(work), "close() deletes " + work);
        }
    }

    @Test
    void aSourceThatDoesNotCompileIsReportedWithTheCompilersMessage() throws IOException {
        assumeCompiler();
        Path broken = Files.writeString(dir.resolve("broken.c"), "int main(void) { return missing_symbol; }\n");
        Set<Path> before = leftovers();
        String previous = System.setProperty(NativeFloor.SOURCE_PROPERTY, broken.toString());
        try {
            IOException e = assertThrows(IOException.class, NativeFloor::compile);
            assertTrue(e.getMessage().contains("missing_symbol"), e.getMessage());
        } finally {
            restore(previous);
        }
        assertEquals(before, leftovers());
    }

    @Test
    void aShortRunGivesPositiveNumbersForEveryTransportAndPlacement() throws IOException {
        assumeCompiler();
        List<Placement> placements = CpuPlacement.onlineCpus() >= 2
                ? List.of(Placement.SAME_CPU, Placement.DIFFERENT_CPUS) : List.of(Placement.SAME_CPU);
        Set<Path> before = leftovers();

        NativeFloor.Outcome outcome = NativeFloor.run(List.of("tcp", "pipe", "chronicle"), List.of(64), placements,
                Duration.ofMillis(150), 1024 * 1024);

        assertTrue(outcome.notes().stream().anyMatch(n -> n.contains("built from")), outcome.notes().toString());
        assertTrue(outcome.notes().stream().anyMatch(n -> n.contains("chronicle")), outcome.notes().toString());
        assertTrue(outcome.notes().stream().noneMatch(n -> n.startsWith("Native floor,")), "no failures: " + outcome.notes());
        for (String transport : List.of("tcp", "pipe")) {
            for (Placement placement : placements) {
                double p50 = value(outcome, transport, placement, 64, "rtt_p50", "us");
                double p99 = value(outcome, transport, placement, 64, "rtt_p99", "us");
                double mibPerSecond = value(outcome, transport, placement, NativeFloor.STREAM_MESSAGE_BYTES,
                        "stream_mib_s", "MiB/s");
                assertTrue(p50 > 0 && p99 >= p50, transport + " " + placement + ": p50 " + p50 + ", p99 " + p99);
                assertTrue(mibPerSecond > 0, transport + " " + placement + ": " + mibPerSecond + " MiB/s");
            }
        }
        assertEquals(List.of(), outcome.rows().stream().filter(r -> !NativeFloor.METRICS.contains(r.metric())).toList());
        assertNoFloorProcesses();
        assertEquals(before, leftovers());
    }

    @Test
    void aRunThatOutlivesItsTimeoutIsKilledWithItsServer() throws IOException {
        assumeCompiler();
        try (NativeFloor floor = NativeFloor.compile()) {
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> floor.execute(
                    List.of("rtt", "pipe", "unpinned", "64", "20", "0"), Duration.ofMillis(500)));
            assertTrue(e.getMessage().contains("did not finish within"), e.getMessage());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(10), "killed promptly");
            assertNoFloorProcesses();
        }
    }

    @Test
    void aFailingRunBecomesANoteAndTheOthersGoOn() throws IOException {
        assumeCompiler();
        try (NativeFloor floor = NativeFloor.compile()) {
            // a 0-byte round trip measures nothing: the program refuses it (exit code 2) and says why
            NativeFloor.Outcome outcome = floor.measure(List.of("pipe"), List.of(0, 64), List.of(Placement.SAME_CPU),
                    Duration.ofMillis(100), 0);
            assertTrue(outcome.notes().stream().anyMatch(n -> n.startsWith("Native floor, pipe round trip 0 B")
                    && n.contains("size_bytes")), outcome.notes().toString());
            assertTrue(value(outcome, "pipe", Placement.SAME_CPU, 64, "rtt_p50", "us") > 0);
        }
    }

    @Test
    void everyNativeModeADescriptorNamesIsAcceptedAndAnUnknownModeIsRefusedWithExitCode2() throws Exception {
        assumeCompiler();
        List<TransportDescriptor> withFloor = Transports.all().stream().map(EchoTransport::descriptor)
                .filter(TransportDescriptor::hasNativeFloor).toList();
        assertFalse(withFloor.isEmpty(), "some registered transport names a native mode");
        assertEquals(withFloor.stream().map(TransportDescriptor::id).toList(), NativeFloor.TRANSPORTS);
        try (NativeFloor floor = NativeFloor.compile()) {
            for (TransportDescriptor descriptor : withFloor) {
                List<NativeResult> rows = NativeFloor.parse(floor.execute(
                        List.of("rtt", descriptor.nativeMode(), "unpinned", "64", "0.02", "0"), Duration.ofSeconds(10)));
                assertTrue(rows.stream().anyMatch(r -> r.transport().equals(descriptor.id()) && r.metric().equals("rtt_p50")),
                        descriptor.id() + " (mode " + descriptor.nativeMode() + "): " + rows);
            }
            IOException refused = assertThrows(IOException.class, () -> floor.execute(
                    List.of("rtt", "no-such-mode", "same", "64", "0.02", "0"), Duration.ofSeconds(10)));
            assertTrue(refused.getMessage().contains("unknown transport 'no-such-mode'")
                    && refused.getMessage().contains("(code 2)"), refused.getMessage());
            for (TransportDescriptor descriptor : withFloor) {
                assertTrue(refused.getMessage().contains(descriptor.nativeMode()),
                        "the refusal lists the modes it knows: " + refused.getMessage());
            }
        }
    }

    private static double value(NativeFloor.Outcome outcome, String transport, Placement placement, int size,
                                String metric, String unit) {
        List<NativeResult> found = outcome.rows().stream()
                .filter(r -> r.transport().equals(transport) && r.placement() == placement && r.sizeBytes() == size
                        && r.metric().equals(metric))
                .toList();
        assertEquals(1, found.size(), transport + " " + placement + " " + size + " " + metric + " in " + outcome);
        assertEquals(unit, found.get(0).value().unit());
        return found.get(0).value().value();
    }

    private static void assumeCompiler() {
        assumeTrue(NativeFloor.findCompiler().isPresent(), "needs a C compiler (cc or gcc on the PATH; apt-get install gcc)");
    }

    private static void assertNoFloorProcesses() {
        List<String> running = ProcessHandle.current().descendants()
                .filter(p -> p.info().command().orElse("").endsWith("ipclab_floor"))
                .map(p -> p.pid() + " " + p.info().command().orElse(""))
                .toList();
        assertEquals(List.of(), running);
    }

    /** Our temporary directories: the Java side's and any the C program made for itself. */
    private static Set<Path> leftovers() throws IOException {
        try (Stream<Path> files = Files.list(TMP)) {
            return files.filter(p -> p.getFileName().toString().startsWith("ipc-lab-native-")
                    || p.getFileName().toString().startsWith("ipclab-floor-")).collect(Collectors.toSet());
        }
    }

    private static void restore(String previous) {
        if (previous == null) {
            System.clearProperty(NativeFloor.SOURCE_PROPERTY);
        } else {
            System.setProperty(NativeFloor.SOURCE_PROPERTY, previous);
        }
    }
}

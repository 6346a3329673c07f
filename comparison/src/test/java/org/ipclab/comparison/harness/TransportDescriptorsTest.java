package org.ipclab.comparison.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.ipclab.core.EchoTransport;
import org.ipclab.core.TransportDescriptor;
import org.ipclab.core.TransportDescriptor.Participant;
import org.ipclab.core.TransportDescriptor.Step;
import org.ipclab.core.Transports;
import org.ipclab.report.DescriptorCatalog;
import org.ipclab.report.ReportWriter;
import org.ipclab.report.model.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The descriptors the transports declare are all the harness and the report need: complete, distinct, carried
 * through results.json, and enough to render an old results.json as a new one. And nothing generic names a
 * transport.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportDescriptorsTest {

    private static final Path EXAMPLE = Path.of("..", "docs", "example-report");

    private static List<TransportDescriptor> registered() {
        return Transports.all().stream().map(EchoTransport::descriptor).toList();
    }

    @Test
    void everyRegisteredTransportDescribesItselfCompletelyAndDistinctly() {
        List<TransportDescriptor> all = registered();
        assertTrue(all.size() >= 6, "the six transports are registered: " + all);
        Set<Integer> orders = new HashSet<>();
        Set<String> colours = new HashSet<>();
        for (TransportDescriptor d : all) {
            assertTrue(orders.add(d.order()), d.id() + ": its order is its own");
            assertTrue(colours.add(d.colour().toUpperCase(Locale.ROOT)), d.id() + ": its colour is its own");
            assertFalse(d.family().isEmpty(), d.id() + " names its API family");
            assertTrue(d.roundTrip().hasSteps(), d.id() + " has a round trip to draw");
            Set<String> keys = new HashSet<>(d.roundTrip().participants().stream().map(Participant::key).toList());
            for (Step step : flatten(d.roundTrip().steps())) {
                if (step.type() != Step.Type.LOOP) {
                    assertTrue(keys.contains(step.from()) && keys.contains(step.to()),
                            d.id() + ": step '" + step.text() + "' is between declared participants " + keys);
                }
            }
            assertEquals("", d.setup().get(0).key(), d.id() + ": the first set-up variant is the transport's own way");
            assertEquals(d.setup().size(), d.setup().stream().map(TransportDescriptor.SetupVariant::key).distinct().count(),
                    d.id() + ": set-up variant keys are distinct");
            assertEquals(d.id(), EchoTransport.class.cast(Transports.byId(d.id())).id());
        }
    }

    @Test
    void theDescriptorsSurviveResultsJson(@TempDir Path dir) throws IOException {
        Results results = new Results(Results.SCHEMA, null, null, List.of(), null, null, null, null, null, null, null,
                null).withDescriptors(registered());
        Path file = dir.resolve("results.json");
        ReportWriter.writeJson(results, file);
        assertEquals(registered(), ReportWriter.read(file).descriptors());
        assertTrue(Files.readString(file).contains("\"roundTrip\""), "written as plain data");
    }

    /** {@code ./ipc-lab report} on a results.json from before descriptors: the registry supplies them. */
    @Test
    void anOldResultsJsonRendersWithTheRegisteredDescriptors(@TempDir Path out) throws IOException {
        assertTrue(DescriptorCatalog.installed() instanceof RegisteredDescriptors, "the harness registers its catalog");
        ReportWriter.Written written = ReportWriter.rerender(EXAMPLE.resolve(ReportWriter.RESULTS_FILE), out);
        String record = Files.readString(written.report());
        String committed = Files.readString(EXAMPLE.resolve(ReportWriter.REPORT_FILE));
        assertEquals(committed.lines().filter(l -> l.startsWith("#")).toList(),
                record.lines().filter(l -> l.startsWith("#")).toList(), "the same sections in the same order");
        String report = record + Files.readString(written.appendix());
        int transports = ReportWriter.read(EXAMPLE.resolve(ReportWriter.RESULTS_FILE)).transports().size();
        assertEquals(transports, report.split(java.util.regex.Pattern.quote("](charts/sequence-"), -1).length - 1,
                "a diagram per transport, from its descriptor");
        assertTrue(Files.readString(out.resolve("charts/sequence-tcp.svg")).contains("listen(backlog)"));
        assertTrue(report.contains("a 64 B TCP round trip costs "), "the lab's socket is found by its reach");
        assertTrue(report.matches("(?s).*\\| time to first echo of a JVM echo child \\| `pipe` \\| spawn \\+ first echo "
                + "\\| [0-9.]+ ms \\(`cat`: [0-9.]+ ms\\) \\|.*"), "the JVM child is found by its set-up variant");
        assertFalse(report.contains("| streaming, Java ÷ C | `posix-mq` |"), "streaming is judged for byte streams");
        assertTrue(ReportWriter.read(written.results()).descriptors() != null, "the rewritten file carries them");
    }

    /** The harness, the benchmarks and the report name no transport: they ask the registry and the descriptors. */
    @Test
    void noGenericSourceNamesATransport() throws IOException {
        List<Path> roots = List.of(Path.of("src/main/java/org/ipclab/comparison/harness"),
                Path.of("src/main/java/org/ipclab/comparison/bench"), Path.of("../report/src/main/java"));
        List<String> found = new ArrayList<>();
        Pattern literal = Pattern.compile("\"(" + String.join("|", Transports.ids().stream().map(Pattern::quote).toList())
                + ")\"|TransportIds");
        for (Path root : roots) {
            try (Stream<Path> files = Files.walk(root)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")
                        && !f.toString().contains("/report/backlog/")).toList()) {
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        Matcher m = literal.matcher(lines.get(i));
                        if (m.find()) {
                            found.add(file + ":" + (i + 1) + ": " + lines.get(i).strip());
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), found);
    }

    private static List<Step> flatten(List<Step> steps) {
        List<Step> all = new ArrayList<>();
        for (Step s : steps) {
            all.add(s);
            all.addAll(flatten(s.body()));
        }
        return all;
    }
}

package org.ipclab.comparison.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.ipclab.comparison.cli.IpcLabCommand;
import org.ipclab.core.experiments.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What docs/adding-a-transport.md promises: a transport registered from the test class path, with no change
 * anywhere else, gets its commands, runs in {@code compare}, and has its place in results.json, the property matrix
 * and the report.
 */
class ThreadPipePluginTest {

    private static final String ID = ThreadPipeDescriptor.INSTANCE.id();

    @TempDir
    Path out;

    record Run(int exitCode, String out, String err) {
    }

    private static synchronized Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream savedOut = System.out;
        PrintStream capturedOut = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream capturedErr = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setOut(capturedOut);
        try {
            int code = IpcLabCommand.execute(args, capturedOut, capturedErr);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(savedOut);
        }
    }

    @Test
    @Timeout(30)
    void itHasItsCommands() {
        assertTrue(run("server", "--help").out().contains(ID), "server --help lists " + ID);
        assertTrue(run("client", "--help").out().contains(ID), "client --help lists " + ID);
        Run client = run("client", ID, "--message", "Hello, world");
        assertEquals(0, client.exitCode(), client.toString());
        assertTrue(client.out().contains("Received 'Hello, world'"), client.toString());
        Run server = run("server", ID);
        assertEquals(2, server.exitCode(), server.toString());
        assertTrue(server.err().contains("has no server"), server.toString());
    }

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void itRunsInCompareAndHasItsPlaceInTheResultsAndTheReport() throws Exception {
        Run compare = run("compare", "--quick", "--no-progress", "--transports", ID, "--out", out.toString());
        assertEquals(0, compare.exitCode(), compare.toString());

        JsonNode results = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        JsonNode listed = null;
        for (JsonNode transport : results.get("transports")) {
            if (transport.get("id").asText().equals(ID)) {
                listed = transport;
            }
        }
        assertTrue(listed != null && listed.get("status").asText().equals("measured"), "measured: " + listed);
        assertTrue(results.get("latency").findValuesAsText("transport").contains(ID), "it has latency numbers");
        assertTrue(results.get("descriptors").findValuesAsText("id").contains(ID), "its descriptor is in results.json");

        List<String> properties = new ArrayList<>();
        for (JsonNode cell : results.get("properties")) {
            if (cell.get("transport").asText().equals(ID)) {
                properties.add(cell.get("property").asText());
                assertTrue(!cell.get("value").asText().startsWith("failed"), "its experiment ran: " + cell);
            }
        }
        for (Property property : Property.values()) {
            assertTrue(properties.contains(property.label()), "the matrix has its cell for " + property.label());
        }

        String report = Files.readString(out.resolve("REPORT.md")) + Files.readString(out.resolve("APPENDIX.md"));
        assertTrue(report.contains("`" + ID + "`"), "the report names it");
        assertTrue(report.contains(ThreadPipeDescriptor.INSTANCE.summary()) || report.contains("in-JVM pipe"),
                "the report describes it from its descriptor");
    }
}

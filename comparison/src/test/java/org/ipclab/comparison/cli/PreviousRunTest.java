package org.ipclab.comparison.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.ipclab.report.model.Results;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** compare reads the results.json a previous run left in its directory, for the steadiness target. */
class PreviousRunTest {

    @TempDir
    Path dir;

    private Path write(String mode) throws IOException {
        String latency = "{\"transport\":\"tcp\",\"placement\":\"%s\",\"sizeBytes\":64,\"samples\":10,\"verified\":10,"
                + "\"p50\":{\"value\":%s,\"unit\":\"us\"}}";
        String json = "{\"schema\":\"" + Results.SCHEMA + "\",\"run\":{\"startedAt\":\"2026-11-25T04:29:15Z\","
                + "\"durationS\":250,\"mode\":\"" + mode + "\"},\"latency\":["
                + String.format(latency, "SAME_CPU", "12.5") + "," + String.format(latency, "DIFFERENT_CPUS", "50.0") + "]}";
        return Files.writeString(dir.resolve("results.json"), json);
    }

    @Test
    void theSameModesSameCpuMediansAreKept() throws IOException {
        Results.PreviousRun previous = CompareCommand.previousRun(write("default"), "default");
        assertEquals("2026-11-25T04:29:15Z", previous.startedAt());
        assertEquals(1, previous.latency().size(), "only same-CPU medians are compared");
        assertEquals(12.5, previous.latency().get(0).p50().value());
    }

    @Test
    void anotherModeNoFileOrAnUnreadableFileMeanNoPreviousRun() throws IOException {
        assertNull(CompareCommand.previousRun(write("quick"), "default"), "a quick run is no yardstick for a default one");
        assertNull(CompareCommand.previousRun(dir.resolve("absent.json"), "default"));
        assertNull(CompareCommand.previousRun(Files.writeString(dir.resolve("results.json"), "{not json"), "default"));
    }
}

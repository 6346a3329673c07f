package org.ipclab.comparison.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.ipclab.core.TransportIds;
import org.ipclab.report.model.Results.PropertyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class PropertyExperimentsTest {

    @TempDir
    Path scratch;

    @Test
    void everyCellOnce() throws Exception {
        long start = System.nanoTime();
        List<PropertyResult> results = PropertyExperiments.run(TransportIds.ALL, scratch, line -> System.out.println("  .. " + line));
        System.out.printf("took %.1f s%n", (System.nanoTime() - start) / 1e9);
        for (PropertyResult r : results) {
            System.out.println(r.transport() + " | " + r.property() + " | " + r.value() + " | " + r.observed() + "\n      " + r.evidence());
        }
        assertEquals(TransportIds.ALL.size() * PropertyExperiments.PROPERTIES.size(), results.size());
    }
}

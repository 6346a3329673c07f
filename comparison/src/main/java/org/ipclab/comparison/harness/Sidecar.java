package org.ipclab.comparison.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a benchmark measures besides time (echoes verified, CPU time), written as one JSON line per trial to
 * a file named by a system property, so it reaches the harness from a JMH fork as well as from forks=0.
 */
public final class Sidecar {

    public static final String FILE_PROPERTY = "ipclab.bench.sidecar";
    private static final ObjectMapper JSON = new ObjectMapper();

    private Sidecar() {
    }

    public static synchronized void append(Map<String, Object> record) {
        String file = System.getProperty(FILE_PROPERTY);
        if (file == null) {
            return;
        }
        try {
            Files.writeString(Path.of(file), JSON.writeValueAsString(record) + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write the benchmark sidecar " + file, e);
        }
    }

    public static List<Map<String, Object>> readAll(Path file) throws IOException {
        List<Map<String, Object>> records = new ArrayList<>();
        if (!Files.exists(file)) {
            return records;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                records.add(JSON.readValue(line, new TypeReference<LinkedHashMap<String, Object>>() { }));
            }
        }
        return records;
    }
}

package org.ipclab.comparison.harness;

import java.io.IOException;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import org.ipclab.report.model.Results;

/** Writes a run's results: results.json now; REPORT.md and charts once the report renderer is in the build. */
public final class ResultsOutput {

    private ResultsOutput() {
    }

    public static void write(Results results, Path out) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.resolve("results.json").toFile(), results);
    }
}

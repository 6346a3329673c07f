package org.ipclab.report.backlog;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The backlog results as JSON: what {@code ./ipc-lab backlog --json} prints and results.json embeds. */
public final class BacklogJson {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private BacklogJson() {
    }

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The report as a tree, for results.json's {@code backlog} field. */
    public static JsonNode tree(BacklogReport report) {
        return MAPPER.valueToTree(report);
    }

    /** The report back from results.json's {@code backlog} tree. */
    public static BacklogReport fromTree(JsonNode tree) throws IOException {
        return MAPPER.treeToValue(tree, BacklogReport.class);
    }

    public static <T> T read(String json, Class<T> type) throws IOException {
        return MAPPER.readValue(json, type);
    }
}

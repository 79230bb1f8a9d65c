package dev.steeropt.studies.store.jdbc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.steeropt.optimizer.storage.OptunaJson;

/**
 * Attribute values in {@code value_json} columns, written as Python's {@code json.dumps} writes them
 * ({@code ", "} and {@code ": "} separators, bare {@code NaN}/{@code Infinity}) and read back as plain Java values:
 * null, Boolean, Long, Double, String, List and Map (insertion-ordered).
 */
public final class JsonValues {
    private static final ObjectMapper READER = JsonMapper.builder()
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_LONG_FOR_INTS)
            .build();

    private JsonValues() {}

    /** Parses a JSON text written by Optuna or by {@link #write(Object)}. */
    public static Object read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return READER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("value_json is not valid JSON: " + json, e);
        }
    }

    /** A JSON-compatible Java value as Python's {@code json.dumps} would write it (see {@link OptunaJson}). */
    public static String write(Object value) {
        return OptunaJson.dumps(value);
    }
}

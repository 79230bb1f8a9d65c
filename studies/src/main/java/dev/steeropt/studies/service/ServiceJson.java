package dev.steeropt.studies.service;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import java.io.IOException;

/**
 * The service's one JSON mapper: snake_case keys from record components (optuna-dashboard's key names), and
 * non-finite numbers (NaN, ±infinity, which JSON cannot hold) written as {@code null}.
 */
final class ServiceJson {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true)
            .registerModule(new SimpleModule("finite-numbers")
                    .addSerializer(Double.class, new FiniteDouble())
                    .addSerializer(double.class, new FiniteDouble()));

    private ServiceJson() {}

    static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** Reads a request body as {@code type}; malformed JSON or unknown keys are 400 naming the problem. */
    static <T> T read(byte[] body, Class<T> type) {
        if (body.length == 0) {
            throw ApiException.badRequest("the request needs a JSON body");
        }
        try {
            T v = MAPPER.readValue(body, type);
            if (v == null) {
                throw ApiException.badRequest("the request body is null, expected a JSON object");
            }
            return v;
        } catch (IOException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            int cut = m.indexOf("\n at [Source");
            throw ApiException.badRequest("the request body is not valid for this request: "
                    + (cut > 0 ? m.substring(0, cut) : m).replaceAll("\\s*\\R\\s*", " "));
        }
    }

    private static final class FiniteDouble extends JsonSerializer<Double> {
        @Override
        public void serialize(Double v, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (v == null || !Double.isFinite(v)) {
                gen.writeNull();
            } else {
                gen.writeNumber(v);
            }
        }
    }
}

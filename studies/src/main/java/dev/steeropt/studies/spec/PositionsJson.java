package dev.steeropt.studies.spec;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import dev.steeropt.core.hooks.SteerPositions;
import dev.steeropt.studies.errors.UserFacingException;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The edge names of CAA's {@link SteerPositions} (steering-core's enum) in the spec JSON, the CLI and the artifacts:
 * the constant's name in lower case ({@code from_last_prompt_token}, {@code generated}, {@code all}).
 */
public final class PositionsJson {
    private PositionsJson() {}

    /** The edge name of {@code p}. */
    public static String name(SteerPositions p) {
        return p.name().toLowerCase(Locale.ROOT);
    }

    /** Every edge name. */
    public static List<String> names() {
        return Arrays.stream(SteerPositions.values()).map(PositionsJson::name).toList();
    }

    /**
     * The positions named {@code s} (dashes accepted).
     *
     * @throws UserFacingException naming the known names if none matches
     */
    public static SteerPositions parse(String s) {
        try {
            return SteerPositions.parse(s == null ? "" : s);
        } catch (IllegalArgumentException e) {
            throw UserFacingException.usage("Unknown steer positions '" + s + "'", "known: " + String.join(", ", names()),
                    "Pick one of them.");
        }
    }

    /** Writes {@link #name}. */
    public static final class Writer extends JsonSerializer<SteerPositions> {
        @Override
        public void serialize(SteerPositions value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeString(name(value));
        }
    }

    /** Reads through {@link #parse}. */
    public static final class Reader extends JsonDeserializer<SteerPositions> {
        @Override
        public SteerPositions deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            return parse(p.getValueAsString());
        }
    }
}

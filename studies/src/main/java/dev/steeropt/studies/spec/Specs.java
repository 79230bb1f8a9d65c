package dev.steeropt.studies.spec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.steeropt.core.model.io.JsonProblem;
import dev.steeropt.studies.errors.UserFacingException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** JSON round trip, identity and diff of {@link StudySpec}s. */
public final class Specs {
    /** The study system attribute holding the resolved spec (JSON object). */
    public static final String ATTR = "steeropt:spec";

    /** The shared mapper: sorted map keys, records through their snake_case {@code @JsonProperty} names. */
    public static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private Specs() {}

    /** The spec as a JSON tree. */
    public static JsonNode toTree(StudySpec spec) {
        return JSON.valueToTree(spec);
    }

    /** Pretty JSON text. */
    public static String toJson(StudySpec spec) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(spec);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a StudySpec always serialises", e);
        }
    }

    /**
     * Reads a spec back (from a study attribute or {@code config.json}); validation runs again.
     *
     * @throws UserFacingException if the JSON is not a valid spec
     */
    public static StudySpec fromTree(JsonNode tree) {
        try {
            return JSON.treeToValue(tree, StudySpec.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            Throwable c = UserFacingException.of(e.getCause()).map(Throwable.class::cast).orElse(e);
            throw UserFacingException.usage("Stored study spec is not valid", c.getMessage(),
                    "Use a new --study-name, or a SteerOpt version that wrote this study.");
        }
    }

    /** The spec from a study system attribute value (a Map as stored, or a JSON string). */
    public static StudySpec fromAttr(Object value) {
        if (value instanceof String s) {
            try {
                return fromTree(JSON.readTree(s));
            } catch (JsonProcessingException e) {
                throw UserFacingException.usage("Stored study spec is not JSON", JsonProblem.describe(e), null);
            }
        }
        return fromTree(JSON.valueToTree(value));
    }

    /** The spec as the plain Map stored in the study attribute. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> toAttr(StudySpec spec) {
        return JSON.convertValue(spec, Map.class);
    }

    /** The part of a spec that must match to resume a study: everything but the budget. */
    public static JsonNode identity(StudySpec spec) {
        ObjectNode tree = (ObjectNode) toTree(spec);
        tree.remove("budget");
        return tree;
    }

    /**
     * The differences between two specs' identities, one line per changed leaf:
     * {@code search_space.alpha: [-4.0,4.0] -> [-2.0,2.0]}; empty when they match.
     */
    public static List<String> diff(StudySpec stored, StudySpec requested) {
        Map<String, String> a = new TreeMap<>();
        Map<String, String> b = new TreeMap<>();
        flatten("", identity(stored), a);
        flatten("", identity(requested), b);
        TreeMap<String, Boolean> keys = new TreeMap<>();
        a.keySet().forEach(k -> keys.put(k, true));
        b.keySet().forEach(k -> keys.put(k, true));
        List<String> out = new ArrayList<>();
        for (String k : keys.keySet()) {
            String x = a.getOrDefault(k, "(absent)");
            String y = b.getOrDefault(k, "(absent)");
            if (!x.equals(y)) {
                out.add(k + ": " + x + " -> " + y);
            }
        }
        return out;
    }

    private static void flatten(String prefix, JsonNode node, Map<String, String> out) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out);
            }
        } else {
            out.put(prefix, node.toString());
        }
    }

    /**
     * Applies a {@code --search-space} JSON override (any subset of the keys) to a base space.
     *
     * @throws UserFacingException for malformed JSON, unknown keys or invalid values
     */
    public static SearchSpaceSpec overlay(SearchSpaceSpec base, String json) {
        JsonNode patch;
        try {
            patch = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw UserFacingException.usage("--search-space is not valid JSON", JsonProblem.describe(e),
                    "Example: --search-space '{\"layer\":[1,3],\"alpha\":[-2,2],\"method\":[\"CAA\"]}'.");
        }
        if (patch == null || !patch.isObject()) {
            throw UserFacingException.usage("--search-space must be a JSON object", "got " + patch, null);
        }
        ObjectNode merged = (ObjectNode) JSON.valueToTree(base);
        for (Iterator<String> it = patch.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!merged.has(k)) {
                throw UserFacingException.usage("Unknown search-space key '" + k + "'", "known keys: layer, alpha,"
                        + " method, temperature, top_p", null);
            }
            merged.set(k, patch.get(k));
        }
        try {
            return JSON.treeToValue(merged, SearchSpaceSpec.class);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            if (e.getCause() instanceof UserFacingException u) {
                throw u;
            }
            throw UserFacingException.usage("Invalid --search-space " + json,
                    e instanceof JsonProcessingException j ? JsonProblem.describe(j) : e.getMessage(),
                    "Ranges are [low, high] arrays; method is a list of names.", e);
        }
    }
}

package dev.steeropt.optimizer.distributions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Optuna's {@code distribution_json} format: {@code {"name": <class>, "attributes": {...}}}.
 *
 * <p>Writing follows the key order of Optuna 5.0. Reading also accepts the legacy names (UniformDistribution,
 * LogUniformDistribution, DiscreteUniformDistribution with {@code q}, IntUniformDistribution,
 * IntLogUniformDistribution) and the abbreviated form {@code {"type": "float"|"int"|"categorical", ...}}.
 */
public final class DistributionJson {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private DistributionJson() {}

    /**
     * Serialises a distribution exactly as Optuna 5.0 writes it into {@code distribution_json}: Python
     * {@code json.dumps} text with the attribute order of Optuna's classes, e.g.
     * {@code {"name": "FloatDistribution", "attributes": {"step": null, "low": -4.0, "high": 4.0, "log": false}}}.
     */
    public static String toJson(Distribution d) {
        java.util.Map<String, Object> attrs = new java.util.LinkedHashMap<>();
        String name;
        if (d instanceof FloatDistribution f) {
            name = "FloatDistribution";
            attrs.put("step", f.step());
            attrs.put("low", f.low());
            attrs.put("high", f.high());
            attrs.put("log", f.log());
        } else if (d instanceof IntDistribution i) {
            name = "IntDistribution";
            attrs.put("log", i.log());
            attrs.put("step", i.step());
            attrs.put("low", i.low());
            attrs.put("high", i.high());
        } else {
            name = "CategoricalDistribution";
            attrs.put("choices", ((CategoricalDistribution) d).choices());
        }
        java.util.Map<String, Object> root = new java.util.LinkedHashMap<>();
        root.put("name", name);
        root.put("attributes", attrs);
        return dev.steeropt.optimizer.storage.OptunaJson.dumps(root);
    }

    /** The JSON tree of {@link #toJson(Distribution)}. */
    public static ObjectNode toNode(Distribution d) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode attrs = MAPPER.createObjectNode();
        if (d instanceof FloatDistribution f) {
            root.put("name", "FloatDistribution");
            if (f.step() == null) {
                attrs.putNull("step");
            } else {
                attrs.put("step", f.step());
            }
            attrs.put("low", f.low());
            attrs.put("high", f.high());
            attrs.put("log", f.log());
        } else if (d instanceof IntDistribution i) {
            root.put("name", "IntDistribution");
            attrs.put("log", i.log());
            attrs.put("step", i.step());
            attrs.put("low", i.low());
            attrs.put("high", i.high());
        } else {
            CategoricalDistribution c = (CategoricalDistribution) d;
            root.put("name", "CategoricalDistribution");
            ArrayNode arr = attrs.putArray("choices");
            for (Object o : c.choices()) {
                arr.add(MAPPER.valueToTree(o));
            }
        }
        root.set("attributes", attrs);
        return root;
    }

    /** Parses a {@code distribution_json} string; throws {@link IllegalArgumentException} naming what is wrong. */
    public static Distribution fromJson(String json) {
        try {
            return fromNode(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not valid JSON for a distribution: " + json, e);
        }
    }

    /** Parses a distribution from a JSON tree (either form). */
    public static Distribution fromNode(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a distribution must be a JSON object, got " + node);
        }
        if (node.has("type")) {
            return fromAbbreviated(node);
        }
        String name = text(node, "name");
        JsonNode a = node.get("attributes");
        if (a == null || !a.isObject()) {
            throw new IllegalArgumentException("distribution '" + name + "' has no \"attributes\" object: " + node);
        }
        return switch (name) {
            case "FloatDistribution" -> new FloatDistribution(num(a, "low"), num(a, "high"), bool(a, "log"),
                    a.hasNonNull("step") ? a.get("step").asDouble() : null);
            case "UniformDistribution" -> new FloatDistribution(num(a, "low"), num(a, "high"), false, null);
            case "LogUniformDistribution" -> new FloatDistribution(num(a, "low"), num(a, "high"), true, null);
            case "DiscreteUniformDistribution" -> new FloatDistribution(num(a, "low"), num(a, "high"), false, num(a, "q"));
            case "IntDistribution" -> new IntDistribution(lng(a, "low"), lng(a, "high"), bool(a, "log"),
                    a.hasNonNull("step") ? a.get("step").asLong() : 1L);
            case "IntUniformDistribution" -> new IntDistribution(lng(a, "low"), lng(a, "high"), false,
                    a.hasNonNull("step") ? a.get("step").asLong() : 1L);
            case "IntLogUniformDistribution" -> new IntDistribution(lng(a, "low"), lng(a, "high"), true, 1L);
            case "CategoricalDistribution" -> new CategoricalDistribution(choices(a.get("choices")));
            default -> throw new IllegalArgumentException("unknown distribution name '" + name
                    + "' (expected FloatDistribution, IntDistribution or CategoricalDistribution)");
        };
    }

    private static Distribution fromAbbreviated(JsonNode n) {
        String type = text(n, "type");
        return switch (type) {
            case "float" -> new FloatDistribution(num(n, "low"), num(n, "high"), n.path("log").asBoolean(false),
                    n.hasNonNull("step") ? n.get("step").asDouble() : null);
            case "int" -> new IntDistribution(lng(n, "low"), lng(n, "high"), n.path("log").asBoolean(false),
                    n.hasNonNull("step") ? n.get("step").asLong() : 1L);
            case "categorical" -> new CategoricalDistribution(choices(n.get("choices")));
            default -> throw new IllegalArgumentException("unknown distribution type '" + type
                    + "' (expected float, int or categorical)");
        };
    }

    private static List<Object> choices(JsonNode arr) {
        if (arr == null || !arr.isArray()) {
            throw new IllegalArgumentException("a categorical distribution needs a \"choices\" array");
        }
        List<Object> out = new ArrayList<>();
        for (JsonNode c : arr) {
            out.add(scalar(c));
        }
        return out;
    }

    /** A JSON scalar as the Java value Optuna's JSON would give (null, Boolean, Long, Double, String). */
    static Object scalar(JsonNode c) {
        if (c.isNull()) {
            return null;
        } else if (c.isBoolean()) {
            return c.booleanValue();
        } else if (c.isIntegralNumber()) {
            return c.longValue();
        } else if (c.isNumber()) {
            return c.doubleValue();
        } else if (c.isTextual()) {
            return c.textValue();
        }
        throw new IllegalArgumentException("categorical choices must be scalars, got " + c);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("distribution JSON lacks string field \"" + key + "\": " + n);
        }
        return v.textValue();
    }

    private static double num(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("distribution JSON lacks number field \"" + key + "\": " + n);
        }
        return v.asDouble();
    }

    private static long lng(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException("distribution JSON lacks integer field \"" + key + "\": " + n);
        }
        return v.asLong();
    }

    private static boolean bool(JsonNode n, String key) {
        return n.path(key).asBoolean(false);
    }
}

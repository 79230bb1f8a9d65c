package dev.steeropt.core.model.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.steeropt.core.model.ModelLoadException;
import dev.steeropt.core.model.io.JsonProblem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Typed access to the keys of a {@code config.json}, with errors that name the key and the file. Shared by the
 * architecture adapters, which decide which keys they need.
 */
public final class ConfigJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private final JsonNode root;

    private ConfigJson(Path file, JsonNode root) {
        this.file = file;
        this.root = root;
    }

    /**
     * Reads {@code dir/config.json}.
     *
     * @throws ModelLoadException for a missing directory, a missing config.json, or invalid JSON (distinct messages)
     */
    public static ConfigJson read(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelLoadException("Cannot load model '" + dir + "': the directory does not exist; pass the folder that"
                    + " holds config.json and the safetensors weights");
        }
        Path file = dir.resolve("config.json");
        if (!Files.isRegularFile(file)) {
            throw new ModelLoadException("Cannot load model '" + dir + "': config.json is missing from the directory; pass a"
                    + " Hugging Face model folder (config.json, model.safetensors, tokenizer.json)");
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new ModelLoadException("Cannot load model '" + dir + "': config.json is not a JSON object");
            }
            return new ConfigJson(file, root);
        } catch (JsonProcessingException e) {
            throw new ModelLoadException("Cannot load model '" + dir + "': config.json is not valid JSON (" + JsonProblem.describe(e)
                    + "); restore it from the model's original download", e);
        } catch (IOException e) {
            throw new ModelLoadException("Cannot load model '" + dir + "': config.json cannot be read (" + e.getMessage()
                    + "); check the file's permissions", e);
        }
    }

    /** Wraps an already parsed object (tests, hub metadata). */
    public static ConfigJson of(Path file, JsonNode root) {
        return new ConfigJson(file, root);
    }

    /** The config file. */
    public Path file() {
        return file;
    }

    /** The raw JSON. */
    public JsonNode root() {
        return root;
    }

    /** True if the key is present and not null. */
    public boolean has(String key) {
        JsonNode n = root.get(key);
        return n != null && !n.isNull();
    }

    /** The first present key's int value. */
    public int requireInt(String... keys) {
        for (String k : keys) {
            if (has(k)) {
                JsonNode n = root.get(k);
                if (!n.canConvertToInt()) {
                    throw error(k + " is " + n + ", expected an integer");
                }
                return n.asInt();
            }
        }
        throw error("the required key " + String.join(" / ", keys) + " is missing");
    }

    /** The key's int value, or the default when absent or null. */
    public int optInt(String key, int dflt) {
        return has(key) ? requireInt(key) : dflt;
    }

    /** The first present key's number, or an error naming the keys. */
    public double requireDouble(String... keys) {
        for (String k : keys) {
            if (has(k)) {
                JsonNode n = root.get(k);
                if (!n.isNumber()) {
                    throw error(k + " is " + n + ", expected a number");
                }
                return n.asDouble();
            }
        }
        throw error("the required key " + String.join(" / ", keys) + " is missing");
    }

    /** The key's number, or the default. */
    public double optDouble(String key, double dflt) {
        return has(key) ? requireDouble(key) : dflt;
    }

    /** The key's boolean, or the default. */
    public boolean optBoolean(String key, boolean dflt) {
        if (!has(key)) {
            return dflt;
        }
        JsonNode n = root.get(key);
        if (!n.isBoolean()) {
            throw error(key + " is " + n + ", expected true or false");
        }
        return n.asBoolean();
    }

    /** The key's text, or the default. */
    public String optString(String key, String dflt) {
        return has(key) ? root.get(key).asText() : dflt;
    }

    /** An int or list of ints (as for {@code eos_token_id}); empty when absent. */
    public List<Integer> intList(String key) {
        List<Integer> out = new ArrayList<>();
        if (!has(key)) {
            return out;
        }
        JsonNode n = root.get(key);
        if (n.isArray()) {
            n.forEach(e -> out.add(e.asInt()));
        } else if (n.canConvertToInt()) {
            out.add(n.asInt());
        } else {
            throw error(key + " is " + n + ", expected an integer or a list of integers");
        }
        return out;
    }

    /** The stored dtype from {@code dtype} (v5) or {@code torch_dtype} (v4), or null. */
    public String storedDtype() {
        return has("dtype") ? root.get("dtype").asText() : optString("torch_dtype", null);
    }

    /**
     * RoPE settings from {@code rope_parameters} (v5) or {@code rope_theta} + {@code rope_scaling} (v4, accepting
     * the older {@code type} alias of {@code rope_type}).
     *
     * @param defaultTheta base used when no key gives one
     * @throws ModelLoadException for a rope type this runtime does not implement, naming it and the supported ones
     */
    public RopeConfig rope(double defaultTheta) {
        try {
            return parseRope(defaultTheta);
        } catch (IllegalArgumentException e) { // RopeConfig's own checks (a negative theta, a zero factor)
            throw error(e.getMessage());
        }
    }

    /**
     * RoPE settings of one attention layer type from {@code rope_parameters.<layerType>} (v5 files with one RoPE per
     * layer type, as Gemma 3 writes them); falls back to {@link #rope(double)} when the file has no such entry.
     */
    public RopeConfig rope(double defaultTheta, String layerType) {
        JsonNode params = has("rope_parameters") ? root.get("rope_parameters").get(layerType) : null;
        if (params == null || !params.isObject()) {
            return rope(defaultTheta);
        }
        try {
            double theta = params.has("rope_theta") ? params.get("rope_theta").asDouble() : defaultTheta;
            return parseScaling(theta, params, "rope_parameters." + layerType + ".rope_type");
        } catch (IllegalArgumentException e) {
            throw error(e.getMessage());
        }
    }

    /** True if {@code rope_parameters} holds one entry per layer type (v5 Gemma 3) rather than one flat set. */
    public boolean ropePerLayerType() {
        if (!has("rope_parameters") || !root.get("rope_parameters").isObject()) {
            return false;
        }
        JsonNode params = root.get("rope_parameters");
        return params.has("full_attention") || params.has("sliding_attention");
    }

    /** A number inside {@code rope_parameters} (v5), or the default. */
    public double ropeParameter(String field, double dflt) {
        JsonNode params = has("rope_parameters") ? root.get("rope_parameters") : null;
        if (params == null || !params.has(field) || params.get(field).isNull()) {
            return dflt;
        }
        if (!params.get(field).isNumber()) {
            throw error("rope_parameters." + field + " is " + params.get(field) + ", expected a number");
        }
        return params.get(field).asDouble();
    }

    /**
     * {@code layer_types} ({@code "full_attention"} / {@code "sliding_attention"} per layer), or null when absent.
     *
     * @throws ModelLoadException for a list of the wrong length or an unknown layer type
     */
    public List<String> layerTypes(int numLayers) {
        if (!has("layer_types")) {
            return null;
        }
        JsonNode n = root.get("layer_types");
        if (!n.isArray() || n.size() != numLayers) {
            throw error("layer_types is " + n + ", expected a list of " + numLayers + " layer types");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode t : n) {
            String type = t.asText();
            if (!type.equals("full_attention") && !type.equals("sliding_attention")) {
                throw error("layer_types holds \"" + type + "\", which this runtime does not implement (supported:"
                        + " full_attention, sliding_attention)");
            }
            out.add(type);
        }
        return out;
    }

    private RopeConfig parseRope(double defaultTheta) {
        JsonNode params = has("rope_parameters") ? root.get("rope_parameters") : null;
        if (params != null && params.isObject()) {
            double theta = params.has("rope_theta") ? params.get("rope_theta").asDouble() : optDouble("rope_theta", defaultTheta);
            return parseScaling(theta, params, "rope_parameters.rope_type");
        }
        double theta = optDouble("rope_theta", defaultTheta);
        JsonNode scaling = has("rope_scaling") ? root.get("rope_scaling") : null;
        return parseScaling(theta, scaling, "rope_scaling.rope_type");
    }

    private RopeConfig parseScaling(double theta, JsonNode scaling, String key) {
        if (scaling == null || scaling.isNull()) {
            return RopeConfig.unscaled(theta);
        }
        if (!scaling.isObject()) {
            throw error("rope_scaling is " + scaling + ", expected an object or null");
        }
        String type = scaling.has("rope_type") ? scaling.get("rope_type").asText()
                : scaling.has("type") ? scaling.get("type").asText() : "default";
        switch (type.toLowerCase(Locale.ROOT)) {
            case "default":
                return RopeConfig.unscaled(theta);
            case "linear":
                return new RopeConfig(theta, RopeConfig.Type.LINEAR, need(scaling, "factor", key), 0, 0, 0);
            case "llama3":
                return new RopeConfig(theta, RopeConfig.Type.LLAMA3, need(scaling, "factor", key),
                        need(scaling, "low_freq_factor", key), need(scaling, "high_freq_factor", key),
                        (int) need(scaling, "original_max_position_embeddings", key));
            default:
                throw error(key + " is \"" + type + "\", which this runtime does not implement (supported: default, linear,"
                        + " llama3); use a model without that scaling, or add it to model.config.RopeConfig");
        }
    }

    private double need(JsonNode scaling, String field, String key) {
        JsonNode n = scaling.get(field);
        if (n == null || !n.isNumber()) {
            throw error(key.replace(".rope_type", "") + "." + field + " is missing or not a number");
        }
        return n.asDouble();
    }

    /** A load error prefixed with the model folder. */
    public ModelLoadException error(String why) {
        Path dir = file.getParent() == null ? file : file.getParent();
        return new ModelLoadException("Cannot load model '" + dir + "': " + why);
    }
}

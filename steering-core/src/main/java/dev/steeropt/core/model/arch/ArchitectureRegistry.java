package dev.steeropt.core.model.arch;

import dev.steeropt.core.model.config.ConfigJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Architecture adapters keyed by HF {@code model_type}. Unknown types are rejected by name. */
public final class ArchitectureRegistry {
    private static final List<ArchitectureAdapter> ADAPTERS = List.of(new LlamaAdapter(), new Qwen2Adapter(), new Gpt2Adapter());
    private static final Map<String, ArchitectureAdapter> BY_TYPE = index();

    private ArchitectureRegistry() {
    }

    private static Map<String, ArchitectureAdapter> index() {
        Map<String, ArchitectureAdapter> m = new TreeMap<>();
        for (ArchitectureAdapter a : ADAPTERS) {
            for (String t : a.modelTypes()) {
                if (m.put(t, a) != null) {
                    throw new IllegalStateException("two adapters claim model_type " + t);
                }
            }
        }
        return Map.copyOf(m);
    }

    /** Supported {@code model_type} values, sorted. */
    public static List<String> supportedTypes() {
        return List.copyOf(new TreeMap<>(BY_TYPE).keySet());
    }

    /**
     * The adapter for a config's {@code model_type}.
     *
     * @throws dev.steeropt.core.model.ModelLoadException if the key is missing or the type is not supported
     */
    public static ArchitectureAdapter forConfig(ConfigJson json) {
        if (!json.has("model_type")) {
            throw json.error("config.json has no \"model_type\", so the architecture is unknown (supported: "
                    + String.join(", ", supportedTypes()) + ")");
        }
        String type = json.optString("model_type", "");
        ArchitectureAdapter a = BY_TYPE.get(type);
        if (a == null) {
            throw json.error("model_type \"" + type + "\" is not supported (supported: " + String.join(", ", supportedTypes())
                    + "); use a model of a supported architecture, or add an ArchitectureAdapter for it");
        }
        return a;
    }
}

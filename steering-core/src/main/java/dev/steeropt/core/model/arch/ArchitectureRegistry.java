package dev.steeropt.core.model.arch;

import dev.steeropt.core.model.config.ConfigJson;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Architecture adapters keyed by HF {@code model_type}. Unknown types are rejected by name. */
public final class ArchitectureRegistry {
    private static final List<ArchitectureAdapter> ADAPTERS = List.of(new LlamaAdapter(), new MistralAdapter(),
            new Qwen2Adapter(), new Qwen3Adapter(), new Gemma2Adapter(), new Gemma3Adapter(), new Phi3Adapter(), new Olmo2Adapter(),
            new Gpt2Adapter(), new GptNeoxAdapter());
    /** Known architectures this runtime does not implement, with the reason given at load. */
    private static final Map<String, String> REJECTED = Map.of(
            "qwen2_moe", "Qwen2-MoE is a mixture-of-experts model, and mixture-of-experts MLPs are not implemented",
            "qwen3_moe", "Qwen3-MoE is a mixture-of-experts model, and mixture-of-experts MLPs are not implemented",
            "mixtral", "Mixtral is a mixture-of-experts model, and mixture-of-experts MLPs are not implemented",
            "olmoe", "OLMoE is a mixture-of-experts model, and mixture-of-experts MLPs are not implemented",
            "phimoe", "Phi-MoE is a mixture-of-experts model, and mixture-of-experts MLPs are not implemented",
            "gemma3", "this is a multimodal Gemma 3 checkpoint (Gemma3ForConditionalGeneration: the text config is nested under"
                    + " text_config and the weights under another prefix), and only text-only gemma3_text checkpoints are"
                    + " supported",
            "gpt_oss", "gpt-oss is a mixture-of-experts model with attention sinks, neither of which is implemented");
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
        if (REJECTED.containsKey(type)) {
            throw json.error("model_type \"" + type + "\" is not supported: " + REJECTED.get(type) + " (supported: "
                    + String.join(", ", supportedTypes()) + ")");
        }
        ArchitectureAdapter a = BY_TYPE.get(type);
        if (a == null) {
            throw json.error("model_type \"" + type + "\" is not supported (supported: " + String.join(", ", supportedTypes())
                    + "); use a model of a supported architecture, or add an ArchitectureAdapter for it");
        }
        return a;
    }

    /**
     * Rejects mixture-of-experts keys in a config whose {@code model_type} is otherwise supported.
     *
     * @throws dev.steeropt.core.model.ModelLoadException naming the key
     */
    static void rejectMixtureOfExperts(ConfigJson json) {
        for (String key : List.of("num_experts", "num_local_experts", "n_routed_experts")) {
            if (json.has(key) && json.requireInt(key) > 0) {
                throw json.error(key + " is " + json.requireInt(key) + ": a mixture-of-experts MLP, which this runtime does"
                        + " not implement (supported: dense MLPs); use a dense checkpoint");
            }
        }
    }
}

package dev.steeropt.core.model.arch;

import dev.steeropt.core.model.config.ArchDetails;
import dev.steeropt.core.model.config.ConfigJson;
import java.util.List;

/**
 * Llama ({@code llama}, also SmolLM, TinyLlama, Llama 3 with llama3 rope scaling). {@code attention_bias} adds
 * q/k/v/o biases, {@code mlp_bias} MLP biases; an explicit {@code head_dim} is honoured. Mistral is this model plus a
 * sliding window ({@link MistralAdapter}).
 */
class LlamaAdapter extends LlamaFamily {
    @Override
    public List<String> modelTypes() {
        return List.of("llama");
    }

    @Override
    boolean qkvBias(ConfigJson json) {
        return json.optBoolean("attention_bias", false);
    }

    @Override
    boolean outBias() {
        return true;
    }

    @Override
    ArchDetails details(ConfigJson json, int numLayers, int headDim, int maxPositions) {
        if (json.has("sliding_window") && json.requireInt("sliding_window") < maxPositions) {
            throw json.error("sliding_window is " + json.requireInt("sliding_window") + " in a llama config, and Llama has no"
                    + " sliding window (supported: none); if this is a Mistral checkpoint, set \"model_type\": \"mistral\"");
        }
        return ArchDetails.NONE;
    }
}

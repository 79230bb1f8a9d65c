package dev.steeropt.core.model.arch;

import dev.steeropt.core.model.config.ConfigJson;
import java.util.List;

/**
 * Llama ({@code llama}, also SmolLM, TinyLlama, Llama 3 with llama3 rope scaling) and Mistral without an active
 * sliding window. {@code attention_bias} adds q/k/v/o biases, {@code mlp_bias} MLP biases; an explicit
 * {@code head_dim} is honoured.
 */
final class LlamaAdapter extends LlamaFamily {
    @Override
    public List<String> modelTypes() {
        return List.of("llama", "mistral");
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
    void checkSlidingWindow(ConfigJson json, int maxPositions) {
        if (json.has("sliding_window")) {
            int window = json.requireInt("sliding_window");
            if (window < maxPositions) {
                throw json.error("sliding_window is " + window + " (below max_position_embeddings " + maxPositions
                        + "), and sliding-window attention is not implemented (supported: no window); use a checkpoint with"
                        + " \"sliding_window\": null");
            }
        }
    }
}

package dev.steeropt.core.model.arch;

import dev.steeropt.core.model.config.ConfigJson;
import java.util.List;

/**
 * Qwen2 ({@code qwen2}): Llama layout with q/k/v biases and no output bias; usually tied embeddings.
 * {@code sliding_window} is ignored unless {@code use_sliding_window} is true, which is rejected.
 */
final class Qwen2Adapter extends LlamaFamily {
    @Override
    public List<String> modelTypes() {
        return List.of("qwen2");
    }

    @Override
    boolean qkvBias(ConfigJson json) {
        return true;
    }

    @Override
    boolean outBias() {
        return false;
    }

    @Override
    void checkSlidingWindow(ConfigJson json, int maxPositions) {
        if (json.optBoolean("use_sliding_window", false)) {
            throw json.error("use_sliding_window is true, and sliding-window attention is not implemented (supported: false)");
        }
    }
}

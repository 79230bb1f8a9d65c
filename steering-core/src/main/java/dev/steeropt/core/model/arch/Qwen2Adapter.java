package dev.steeropt.core.model.arch;

import dev.steeropt.core.model.config.ArchDetails;
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
    ArchDetails details(ConfigJson json, int numLayers, int headDim, int maxPositions) {
        rejectQwenWindow(json);
        return ArchDetails.NONE;
    }

    /** Qwen's {@code use_sliding_window} (windows above {@code max_window_layers}) is not implemented. */
    static void rejectQwenWindow(ConfigJson json) {
        if (json.optBoolean("use_sliding_window", false)) {
            throw json.error("use_sliding_window is true, and Qwen's sliding-window layers (above max_window_layers) are not"
                    + " implemented (supported: false)");
        }
    }
}

package dev.steeropt.core.model.arch;

import dev.steeropt.core.model.config.ArchDetails;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.layers.QkNorm;
import java.util.List;

/**
 * Qwen3 ({@code qwen3}): Llama's block with an RMSNorm on q and on k per head (over {@code head_dim}, one weight shared
 * by the heads) before RoPE; {@code head_dim} is explicit; biases only if {@code attention_bias}. The score scale is
 * folded into the q norm's weight. {@code sliding_window} is ignored unless {@code use_sliding_window}, which is
 * rejected.
 */
final class Qwen3Adapter extends LlamaFamily {
    @Override
    public List<String> modelTypes() {
        return List.of("qwen3");
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
    QkNorm.Scope qkNormScope() {
        return QkNorm.Scope.PER_HEAD;
    }

    @Override
    ArchDetails details(ConfigJson json, int numLayers, int headDim, int maxPositions) {
        Qwen2Adapter.rejectQwenWindow(json);
        return ArchDetails.NONE;
    }
}

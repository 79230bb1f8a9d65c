package dev.steeropt.core.model.arch;

import dev.steeropt.core.model.config.ArchDetails;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.RopeConfig;
import dev.steeropt.core.model.layers.QkNorm;
import java.util.List;

/**
 * Gemma 3, text only ({@code gemma3_text}): {@link GemmaFamily}'s block with a (1 + w) RMSNorm on q and k per head
 * instead of attention soft-capping ({@code attn_logit_softcapping} is ignored, as transformers ignores it), local
 * (sliding-window) layers with their own RoPE base ({@code rope_parameters.sliding_attention} or
 * {@code rope_local_base_freq}) and global layers ({@code rope_parameters.full_attention} or {@code rope_theta} +
 * {@code rope_scaling}). The layer pattern is {@code layer_types}, else {@code sliding_window_pattern} P: layer i is
 * global iff (i+1) is a multiple of P. Multimodal checkpoints ({@code gemma3}) are rejected by the registry.
 */
final class Gemma3Adapter extends GemmaFamily {
    @Override
    public List<String> modelTypes() {
        return List.of("gemma3_text");
    }

    @Override
    QkNorm.Scope qkNormScope() {
        return QkNorm.Scope.PER_HEAD;
    }

    @Override
    ArchDetails details(ConfigJson json, int numLayers, int headDim, int maxPositions) {
        int pattern = json.optInt("sliding_window_pattern", 6);
        if (pattern <= 0) {
            throw json.error("sliding_window_pattern is " + pattern + ", expected a positive number of layers");
        }
        RopeConfig local = json.ropePerLayerType() ? json.rope(10000.0, "sliding_attention")
                : RopeConfig.unscaled(json.optDouble("rope_local_base_freq", 10000.0));
        return new ArchDetails(windows(json, numLayers, i -> (i + 1) % pattern != 0), 0, local, queryScale(json), 0,
                json.optDouble("final_logit_softcapping", 0), false);
    }
}

package dev.steeropt.core.model.arch;

import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.layers.Attention;
import dev.steeropt.core.model.layers.DecoderBlock;
import dev.steeropt.core.model.layers.GatedMlp;
import dev.steeropt.core.model.layers.QkNorm;
import dev.steeropt.core.model.weights.WeightLoader;
import java.util.List;

/**
 * OLMo 2 ({@code olmo2}): no norm in front of attention or MLP; {@code post_attention_layernorm} and
 * {@code post_feedforward_layernorm} norm each sub-block's output before its residual add (so they are what
 * {@code hook_attn_out} / {@code hook_mlp_out} see), and q and k are RMS-normed over the whole projection before the
 * head split.
 */
final class Olmo2Adapter extends LlamaFamily {
    @Override
    public List<String> modelTypes() {
        return List.of("olmo2");
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
        return QkNorm.Scope.WHOLE_PROJECTION;
    }

    @Override
    List<String> blockNorms() {
        return List.of("post_attention_layernorm", "post_feedforward_layernorm");
    }

    @Override
    DecoderBlock block(ModelConfig c, WeightLoader w, int i, String p, Attention attn, GatedMlp mlp) {
        int h = c.hiddenSize();
        return new DecoderBlock(i, DecoderBlock.Residual.SEQUENTIAL, null, attn, norm(w, p + "post_attention_layernorm.weight", h, c),
                null, mlp, norm(w, p + "post_feedforward_layernorm.weight", h, c));
    }
}

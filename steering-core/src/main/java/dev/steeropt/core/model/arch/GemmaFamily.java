package dev.steeropt.core.model.arch;

import ai.djl.ndarray.NDArray;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.layers.Activation;
import dev.steeropt.core.model.layers.Attention;
import dev.steeropt.core.model.layers.DecoderBlock;
import dev.steeropt.core.model.layers.GatedMlp;
import dev.steeropt.core.model.weights.WeightLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * What Gemma 2 and Gemma 3 share: the embedding scaled by {@code (float) √d_model}; every norm {@code (1 + w) ⊙ x̂}
 * ({@code 1 + w} formed once at load); GeGLU with tanh GELU; norms before and after both sub-blocks. Name trap:
 * here {@code post_attention_layernorm} norms the attention output, and the MLP's input norm is
 * {@code pre_feedforward_layernorm}.
 */
abstract class GemmaFamily extends LlamaFamily {
    @Override
    boolean qkvBias(ConfigJson json) {
        return json.optBoolean("attention_bias", false);
    }

    @Override
    boolean outBias() {
        return true;
    }

    @Override
    Activation activation(ConfigJson json) {
        String key = json.has("hidden_activation") ? "hidden_activation" : "hidden_act";
        String act = json.optString(key, "gelu_pytorch_tanh");
        if (!act.equals("gelu_pytorch_tanh") && !act.equals("gelu_new")) {
            throw json.error(key + " is \"" + act + "\", which this runtime does not implement for " + modelTypes().get(0)
                    + " (supported: gelu_pytorch_tanh)");
        }
        if (json.optBoolean("use_bidirectional_attention", false)) {
            throw json.error("use_bidirectional_attention is true, which this runtime does not implement (supported: false)");
        }
        return Activation.GELU_TANH;
    }

    @Override
    Activation activationOf(ModelConfig c) {
        return Activation.GELU_TANH;
    }

    @Override
    NDArray normWeight(WeightLoader w, String name, int size) {
        NDArray raw = w.load(name, size);
        NDArray plusOne = raw.add(1f);
        raw.close();
        return plusOne;
    }

    @Override
    float embedScale(ModelConfig c) {
        return (float) Math.sqrt(c.hiddenSize());
    }

    @Override
    boolean tiedByDefault() {
        return true;
    }

    @Override
    List<String> blockNorms() {
        return List.of("input_layernorm", "post_attention_layernorm", "pre_feedforward_layernorm", "post_feedforward_layernorm");
    }

    @Override
    StoredTensor.Init normInit() {
        return StoredTensor.Init.ZEROS;
    }

    @Override
    DecoderBlock block(ModelConfig c, WeightLoader w, int i, String p, Attention attn, GatedMlp mlp) {
        int h = c.hiddenSize();
        return new DecoderBlock(i, DecoderBlock.Residual.SEQUENTIAL, norm(w, p + "input_layernorm.weight", h, c), attn,
                norm(w, p + "post_attention_layernorm.weight", h, c), norm(w, p + "pre_feedforward_layernorm.weight", h, c), mlp,
                norm(w, p + "post_feedforward_layernorm.weight", h, c));
    }

    /** {@code query_pre_attn_scalar^-1/2}, the attention score scale. */
    static double queryScale(ConfigJson json) {
        double s = json.requireDouble("query_pre_attn_scalar");
        if (!(s > 0)) {
            throw json.error("query_pre_attn_scalar is " + s + ", expected a positive number");
        }
        return 1.0 / Math.sqrt(s);
    }

    /**
     * Per-layer windows: {@code layer_types} when present, else {@code slides(i)}; sliding layers get
     * {@code sliding_window} keys.
     */
    static List<Integer> windows(ConfigJson json, int numLayers, java.util.function.IntPredicate slides) {
        List<String> types = json.layerTypes(numLayers);
        boolean anySliding = false;
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < numLayers; i++) {
            boolean s = types != null ? types.get(i).equals("sliding_attention") : slides.test(i);
            anySliding |= s;
            out.add(s ? 1 : 0);
        }
        if (!anySliding) {
            return List.of();
        }
        int w = json.requireInt("sliding_window");
        if (w <= 0) {
            throw json.error("sliding_window is " + w + ", expected a positive number of keys");
        }
        out.replaceAll(s -> s * w);
        return out;
    }
}

package dev.steeropt.core.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.config.RopeConfig;
import dev.steeropt.core.model.layers.Attention;
import dev.steeropt.core.model.layers.DecoderBlock;
import dev.steeropt.core.model.layers.GatedMlp;
import dev.steeropt.core.model.layers.Linear;
import dev.steeropt.core.model.layers.RmsNorm;
import dev.steeropt.core.model.layers.Rope;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.model.weights.WeightLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared code of the Llama-style architectures (RMSNorm, RoPE, SwiGLU, grouped-query attention): config keys and the
 * {@code model.layers.{i}.*} weight names. Subclasses state which biases exist and what a sliding window means.
 */
abstract class LlamaFamily implements ArchitectureAdapter {

    /** True if q/k/v carry biases for this config. */
    abstract boolean qkvBias(ConfigJson json);

    /** True if the output projection carries a bias. */
    abstract boolean outBias();

    /** Rejects sliding-window attention in use. */
    abstract void checkSlidingWindow(ConfigJson json, int maxPositions);

    @Override
    public ModelConfig parseConfig(ConfigJson json) {
        String act = json.optString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw json.error("hidden_act is \"" + act + "\", which this runtime does not implement for " + modelTypes().get(0)
                    + " (supported: silu)");
        }
        int hidden = json.requireInt("hidden_size");
        int heads = json.requireInt("num_attention_heads");
        int kvHeads = json.optInt("num_key_value_heads", heads);
        int headDim = json.has("head_dim") ? json.requireInt("head_dim") : hidden / heads;
        if (!json.has("head_dim") && hidden % heads != 0) {
            throw json.error("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads + " and head_dim is absent");
        }
        int maxPos = json.optInt("max_position_embeddings", 2048);
        checkSlidingWindow(json, maxPos);
        RopeConfig rope = json.rope(10000.0);
        boolean attnBias = qkvBias(json);
        boolean mlpBias = json.optBoolean("mlp_bias", false);
        try {
            return new ModelConfig(json.optString("model_type", ""), hidden, json.requireInt("intermediate_size"),
                    json.requireInt("num_hidden_layers"), heads, kvHeads, headDim, json.requireInt("vocab_size"), maxPos,
                    json.requireDouble("rms_norm_eps"), rope, json.optBoolean("tie_word_embeddings", false), attnBias, mlpBias,
                    json.storedDtype(), json.optInt("bos_token_id", -1), json.intList("eos_token_id"));
        } catch (IllegalArgumentException e) {
            throw json.error(e.getMessage());
        }
    }

    @Override
    public Transformer build(ModelConfig c, WeightLoader w, NDManager manager, DataType dtype) {
        int h = c.hiddenSize();
        int qOut = c.numHeads() * c.headDim();
        int kvOut = c.numKvHeads() * c.headDim();
        int inter = c.intermediateSize();
        boolean oBias = c.attentionBias() && outBias();
        float scale = (float) (1.0 / Math.sqrt(c.headDim()));
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            // 1/sqrt(d_head) is folded into the q projection (RoPE is linear, so scaling before it is the same)
            NDArray qkvW = concatAndFree(scaled(w.load(p + "self_attn.q_proj.weight", qOut, h), scale),
                    w.load(p + "self_attn.k_proj.weight", kvOut, h), w.load(p + "self_attn.v_proj.weight", kvOut, h));
            NDArray qkvB = null;
            if (c.attentionBias()) {
                qkvB = NDArrays.concat(new NDList(w.load(p + "self_attn.q_proj.bias", qOut).mul(scale),
                        w.load(p + "self_attn.k_proj.bias", kvOut), w.load(p + "self_attn.v_proj.bias", kvOut)), 0);
            }
            Linear qkv = w.linear(transposed(qkvW), qkvB);
            Linear o = w.linear(transposed(w.load(p + "self_attn.o_proj.weight", h, qOut)),
                    oBias ? w.load(p + "self_attn.o_proj.bias", h) : null);
            Attention attn = new Attention(qkv, o, c.numHeads(), c.numKvHeads(), c.headDim(), 1f, true);
            NDArray gateUpW = concatAndFree(w.load(p + "mlp.gate_proj.weight", inter, h), w.load(p + "mlp.up_proj.weight", inter, h));
            NDArray gateUpB = c.mlpBias() ? NDArrays.concat(new NDList(w.load(p + "mlp.gate_proj.bias", inter),
                    w.load(p + "mlp.up_proj.bias", inter)), 0) : null;
            Linear down = w.linear(transposed(w.load(p + "mlp.down_proj.weight", h, inter)),
                    c.mlpBias() ? w.load(p + "mlp.down_proj.bias", h) : null);
            GatedMlp mlp = new GatedMlp(w.linear(transposed(gateUpW), gateUpB), down, inter);
            float eps = (float) c.normEps();
            blocks.add(new DecoderBlock(i, new RmsNorm(w.load(p + "input_layernorm.weight", h), eps), attn,
                    new RmsNorm(w.load(p + "post_attention_layernorm.weight", h), eps), mlp));
        }
        NDArray embed = w.load("model.embed_tokens.weight", c.vocabSize(), h);
        NDArray unembed = c.tieWordEmbeddings() ? embed.transpose()
                : transposed(w.load("lm_head.weight", c.vocabSize(), h));
        Rope rope = Rope.create(manager, c.rope().inverseFrequencies(c.headDim()), c.maxPositions(), dtype);
        return new Transformer(embed, null, blocks, new RmsNorm(w.load("model.norm.weight", h), (float) c.normEps()), unembed, rope);
    }

    /**
     * The transposed view of {@code x}, with {@code x} itself freed: the view then owns the storage alone, so a layer
     * that frees its weight (as packing for inference does) frees the memory at once, not when loading ends.
     */
    private static NDArray transposed(NDArray x) {
        NDArray view = x.transpose();
        x.close();
        return view;
    }

    /** {@code x · factor}; the input is freed at once (loading holds each weight once, not per intermediate). */
    private static NDArray scaled(NDArray x, float factor) {
        NDArray out = x.mul(factor);
        x.close();
        return out;
    }

    /** The parts concatenated along dimension 0; the parts are freed at once. */
    private static NDArray concatAndFree(NDArray... parts) {
        NDList list = new NDList(parts);
        NDArray out = NDArrays.concat(list, 0);
        list.close();
        return out;
    }
}

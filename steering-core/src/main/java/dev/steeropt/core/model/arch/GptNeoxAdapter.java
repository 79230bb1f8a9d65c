package dev.steeropt.core.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import dev.steeropt.core.model.config.ArchDetails;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.config.RopeConfig;
import dev.steeropt.core.model.layers.Activation;
import dev.steeropt.core.model.layers.Attention;
import dev.steeropt.core.model.layers.DecoderBlock;
import dev.steeropt.core.model.layers.GeluMlp;
import dev.steeropt.core.model.layers.LayerNorm;
import dev.steeropt.core.model.layers.Linear;
import dev.steeropt.core.model.layers.Rope;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.model.weights.WeightLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-NeoX / Pythia ({@code gpt_neox}): parallel residual (attention and MLP read the same input, so the blocks have
 * no {@code hook_resid_mid}; {@code use_parallel_residual: false} gives the sequential block), LayerNorm with bias,
 * exact erf GELU, rotary on the first {@code int(head_dim · rotary_pct)} dims of each head, untied {@code embed_out}.
 * The fused {@code query_key_value} is interleaved per head ({@code [q_0 k_0 v_0 q_1 …]}, d rows each) and is
 * reordered at load into the runtime's fused order (all q, all k, all v).
 */
final class GptNeoxAdapter implements ArchitectureAdapter {
    @Override
    public List<String> modelTypes() {
        return List.of("gpt_neox");
    }

    @Override
    public ModelConfig parseConfig(ConfigJson json) {
        String act = json.optString("hidden_act", "gelu");
        if (!act.equals("gelu")) {
            throw json.error("hidden_act is \"" + act + "\", which this runtime does not implement for gpt_neox (supported: gelu)");
        }
        int hidden = json.requireInt("hidden_size");
        int heads = json.requireInt("num_attention_heads");
        if (hidden % heads != 0) {
            throw json.error("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads);
        }
        int headDim = hidden / heads;
        double pct = json.ropeParameter("partial_rotary_factor", json.optDouble("rotary_pct", 0.25));
        if (!(pct > 0 && pct <= 1)) {
            throw json.error("rotary_pct is " + pct + ", expected a fraction in (0, 1]");
        }
        RopeConfig rope = json.rope(json.optDouble("rotary_emb_base", 10000.0));
        int layers = json.requireInt("num_hidden_layers");
        try {
            return new ModelConfig("gpt_neox", hidden, json.requireInt("intermediate_size"), layers, heads, heads, headDim,
                    json.requireInt("vocab_size"), json.optInt("max_position_embeddings", 2048), json.optDouble("layer_norm_eps", 1e-5),
                    rope, json.optBoolean("tie_word_embeddings", false), json.optBoolean("attention_bias", true), true,
                    json.storedDtype(), json.optInt("bos_token_id", -1), json.intList("eos_token_id"),
                    ArchDetails.NONE.withRotaryDim((int) (headDim * pct))
                            .withParallelResidual(json.optBoolean("use_parallel_residual", true)));
        } catch (IllegalArgumentException e) {
            throw json.error(e.getMessage());
        }
    }

    @Override
    public Transformer build(ModelConfig c, WeightLoader w, NDManager manager, DataType dtype) {
        int h = c.hiddenSize();
        int d = c.headDim();
        int inter = c.intermediateSize();
        float eps = (float) c.normEps();
        float scale = (float) (1.0 / Math.sqrt(d));
        // row t of the runtime's order (part-major: q heads, k heads, v heads) is row r of the per-head interleaved file
        long[] order = new long[3 * h];
        float[] rowScale = new float[3 * h];
        for (int t = 0; t < 3 * h; t++) {
            int part = t / h;
            int head = (t % h) / d;
            order[t] = (long) head * 3 * d + (long) part * d + t % d;
            rowScale[t] = part == 0 ? scale : 1f; // 1/sqrt(d_head) folded into the q rows
        }
        NDArray idx = manager.create(order);
        NDArray qScale = manager.create(rowScale).toType(dtype, false);
        List<DecoderBlock> blocks = new ArrayList<>();
        DecoderBlock.Residual residual = c.details().parallelResidual() ? DecoderBlock.Residual.PARALLEL
                : DecoderBlock.Residual.SEQUENTIAL;
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "gpt_neox.layers." + i + ".";
            NDArray qkvW = reordered(w.load(p + "attention.query_key_value.weight", 3L * h, h), idx, qScale.expandDims(1));
            NDArray qkvB = c.attentionBias() ? reordered(w.load(p + "attention.query_key_value.bias", 3L * h), idx, qScale) : null;
            Linear qkv = w.linear(LlamaFamily.transposed(qkvW), qkvB);
            Linear dense = w.linear(LlamaFamily.transposed(w.load(p + "attention.dense.weight", h, h)),
                    c.attentionBias() ? w.load(p + "attention.dense.bias", h) : null);
            Attention attn = new Attention(qkv, dense, c.numHeads(), c.numHeads(), d, 1f, true);
            GeluMlp mlp = new GeluMlp(w.linear(LlamaFamily.transposed(w.load(p + "mlp.dense_h_to_4h.weight", inter, h)),
                    w.load(p + "mlp.dense_h_to_4h.bias", inter)),
                    w.linear(LlamaFamily.transposed(w.load(p + "mlp.dense_4h_to_h.weight", h, inter)), w.load(p + "mlp.dense_4h_to_h.bias", h)),
                    Activation.GELU_ERF);
            blocks.add(new DecoderBlock(i, residual, layerNorm(w, p + "input_layernorm", h, eps), attn, null,
                    layerNorm(w, p + "post_attention_layernorm", h, eps), mlp, null));
        }
        idx.close();
        qScale.close();
        NDArray embed = w.load("gpt_neox.embed_in.weight", c.vocabSize(), h);
        NDArray unembed = c.tieWordEmbeddings() ? embed.transpose() : LlamaFamily.transposed(w.load("embed_out.weight", c.vocabSize(), h));
        Rope rope = Rope.create(manager, c.rope().inverseFrequencies(c.rotaryDim()), c.maxPositions(), dtype);
        return new Transformer(embed, null, blocks, layerNorm(w, "gpt_neox.final_layer_norm", h, eps), unembed, rope);
    }

    @Override
    public List<StoredTensor> storedTensors(ModelConfig c) {
        long h = c.hiddenSize();
        long inter = c.intermediateSize();
        List<StoredTensor> out = new ArrayList<>();
        out.add(StoredTensor.normal("gpt_neox.embed_in.weight", c.vocabSize(), h));
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "gpt_neox.layers." + i + ".";
            storedLayerNorm(out, p + "input_layernorm", h);
            storedLayerNorm(out, p + "post_attention_layernorm", h);
            StoredTensor.linear(out, p + "attention.query_key_value", 3 * h, h, c.attentionBias());
            StoredTensor.linear(out, p + "attention.dense", h, h, c.attentionBias());
            StoredTensor.linear(out, p + "mlp.dense_h_to_4h", inter, h, true);
            StoredTensor.linear(out, p + "mlp.dense_4h_to_h", h, inter, true);
        }
        storedLayerNorm(out, "gpt_neox.final_layer_norm", h);
        if (!c.tieWordEmbeddings()) {
            out.add(StoredTensor.normal("embed_out.weight", c.vocabSize(), h));
        }
        return out;
    }

    /** A LayerNorm as transformers initialises it: weight 1, bias 0. */
    static void storedLayerNorm(List<StoredTensor> out, String prefix, long h) {
        out.add(StoredTensor.filled(prefix + ".weight", h, StoredTensor.Init.ONES));
        out.add(StoredTensor.filled(prefix + ".bias", h, StoredTensor.Init.ZEROS));
    }

    private static LayerNorm layerNorm(WeightLoader w, String name, int h, float eps) {
        return new LayerNorm(w.load(name + ".weight", h), w.load(name + ".bias", h), eps);
    }

    /** The rows of {@code x} in {@code order}, scaled per row; {@code x} is freed. */
    private static NDArray reordered(NDArray x, NDArray order, NDArray rowScale) {
        NDArray rows = x.get(new NDIndex("{}", order));
        NDArray out = rows.mul(rowScale);
        rows.close();
        x.close();
        return out;
    }
}

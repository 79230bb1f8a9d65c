package dev.steeropt.core.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.layers.Attention;
import dev.steeropt.core.model.layers.DecoderBlock;
import dev.steeropt.core.model.layers.GeluMlp;
import dev.steeropt.core.model.layers.LayerNorm;
import dev.steeropt.core.model.layers.Linear;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.model.weights.WeightLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * GPT-2 ({@code gpt2}): learned absolute positions, LayerNorm, tanh GELU, Conv1D weights stored {@code [in, out]}
 * (used as stored), output tied to {@code wte}. Accepts names with or without the {@code transformer.} prefix and
 * ignores the {@code attn.bias} / {@code attn.masked_bias} buffers.
 */
final class Gpt2Adapter implements ArchitectureAdapter {
    @Override
    public List<String> modelTypes() {
        return List.of("gpt2");
    }

    @Override
    public ModelConfig parseConfig(ConfigJson json) {
        String act = json.optString("activation_function", "gelu_new");
        if (!act.equals("gelu_new") && !act.equals("gelu_pytorch_tanh")) {
            throw json.error("activation_function is \"" + act + "\", which this runtime does not implement for gpt2"
                    + " (supported: gelu_new, gelu_pytorch_tanh)");
        }
        if (json.optBoolean("scale_attn_by_inverse_layer_idx", false)) {
            throw json.error("scale_attn_by_inverse_layer_idx is true, which this runtime does not implement (supported: false)");
        }
        if (!json.optBoolean("scale_attn_weights", true)) {
            throw json.error("scale_attn_weights is false, which this runtime does not implement (supported: true)");
        }
        int hidden = json.requireInt("n_embd", "hidden_size");
        int heads = json.requireInt("n_head", "num_attention_heads");
        if (hidden % heads != 0) {
            throw json.error("n_embd " + hidden + " is not divisible by n_head " + heads);
        }
        int inner = json.has("n_inner") ? json.requireInt("n_inner") : 4 * hidden;
        try {
            return new ModelConfig("gpt2", hidden, inner, json.requireInt("n_layer", "num_hidden_layers"), heads, heads,
                    hidden / heads, json.requireInt("vocab_size"), json.requireInt("n_positions", "max_position_embeddings"),
                    json.optDouble("layer_norm_epsilon", 1e-5), null, true, true, true, json.storedDtype(),
                    json.optInt("bos_token_id", -1), json.intList("eos_token_id"));
        } catch (IllegalArgumentException e) {
            throw json.error(e.getMessage());
        }
    }

    @Override
    public Transformer build(ModelConfig c, WeightLoader w, NDManager manager, DataType dtype) {
        String root = w.has("transformer.wte.weight") ? "transformer." : "";
        int h = c.hiddenSize();
        int inter = c.intermediateSize();
        float eps = (float) c.normEps();
        float[] colScale = new float[3 * h];
        java.util.Arrays.fill(colScale, 0, h, (float) (1.0 / Math.sqrt(c.headDim())));
        java.util.Arrays.fill(colScale, h, 3 * h, 1f);
        NDArray qScale = manager.create(colScale).toType(dtype, false);
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String p = root + "h." + i + ".";
            // 1/sqrt(d_head) is folded into the q columns of c_attn
            Linear qkv = w.linear(w.load(p + "attn.c_attn.weight", h, 3L * h).mul(qScale),
                    w.load(p + "attn.c_attn.bias", 3L * h).mul(qScale));
            Linear proj = w.linear(w.load(p + "attn.c_proj.weight", h, h), w.load(p + "attn.c_proj.bias", h));
            Attention attn = new Attention(qkv, proj, c.numHeads(), c.numHeads(), c.headDim(), 1f, false);
            GeluMlp mlp = new GeluMlp(w.linear(w.load(p + "mlp.c_fc.weight", h, inter), w.load(p + "mlp.c_fc.bias", inter)),
                    w.linear(w.load(p + "mlp.c_proj.weight", inter, h), w.load(p + "mlp.c_proj.bias", h)));
            blocks.add(new DecoderBlock(i, new LayerNorm(w.load(p + "ln_1.weight", h), w.load(p + "ln_1.bias", h), eps), attn,
                    new LayerNorm(w.load(p + "ln_2.weight", h), w.load(p + "ln_2.bias", h), eps), mlp));
        }
        NDArray wte = w.load(root + "wte.weight", c.vocabSize(), h);
        NDArray wpe = w.load(root + "wpe.weight", c.maxPositions(), h);
        LayerNorm lnF = new LayerNorm(w.load(root + "ln_f.weight", h), w.load(root + "ln_f.bias", h), eps);
        return new Transformer(wte, wpe, blocks, lnF, wte.transpose(), null);
    }

    /** As {@code GPT2LMHeadModel} saves it: the {@code transformer.} prefix, Conv1D weights {@code [in, out]}, no lm_head. */
    @Override
    public List<StoredTensor> storedTensors(ModelConfig c) {
        long h = c.hiddenSize();
        long inter = c.intermediateSize();
        List<StoredTensor> out = new ArrayList<>();
        out.add(StoredTensor.normal("transformer.wte.weight", c.vocabSize(), h));
        out.add(StoredTensor.normal("transformer.wpe.weight", c.maxPositions(), h));
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "transformer.h." + i + ".";
            GptNeoxAdapter.storedLayerNorm(out, p + "ln_1", h);
            conv1d(out, p + "attn.c_attn", h, 3 * h);
            conv1d(out, p + "attn.c_proj", h, h);
            GptNeoxAdapter.storedLayerNorm(out, p + "ln_2", h);
            conv1d(out, p + "mlp.c_fc", h, inter);
            conv1d(out, p + "mlp.c_proj", inter, h);
        }
        GptNeoxAdapter.storedLayerNorm(out, "transformer.ln_f", h);
        return out;
    }

    private static void conv1d(List<StoredTensor> out, String prefix, long in, long outDim) {
        out.add(StoredTensor.normal(prefix + ".weight", in, outDim));
        out.add(StoredTensor.filled(prefix + ".bias", outDim, StoredTensor.Init.ZEROS));
    }
}

package dev.steeropt.core.model.arch;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import dev.steeropt.core.model.config.ArchDetails;
import dev.steeropt.core.model.config.ConfigJson;
import dev.steeropt.core.model.config.ModelConfig;
import dev.steeropt.core.model.config.RopeConfig;
import dev.steeropt.core.model.layers.Activation;
import dev.steeropt.core.model.layers.Attention;
import dev.steeropt.core.model.layers.DecoderBlock;
import dev.steeropt.core.model.layers.GatedMlp;
import dev.steeropt.core.model.layers.Linear;
import dev.steeropt.core.model.layers.Norm;
import dev.steeropt.core.model.layers.QkNorm;
import dev.steeropt.core.model.layers.RmsNorm;
import dev.steeropt.core.model.layers.Rope;
import dev.steeropt.core.model.layers.Transformer;
import dev.steeropt.core.model.weights.WeightLoader;
import java.util.ArrayList;
import java.util.List;

/**
 * Shared code of the Llama-style architectures (RMSNorm, RoPE, gated MLP, grouped-query attention, the
 * {@code model.layers.{i}.*} weight names). Subclasses override the few steps in which their architecture differs:
 * biases, the architecture details (windows, partial rotary, soft-caps), norm weights, q/k norms, fused tensors, the
 * block's norm placement, the embedding scale.
 */
abstract class LlamaFamily implements ArchitectureAdapter {

    /** True if q/k/v carry biases for this config. */
    abstract boolean qkvBias(ConfigJson json);

    /** True if the output projection carries a bias. */
    abstract boolean outBias();

    /**
     * The architecture details; rejects sliding-window settings this adapter does not implement. The default has none
     * (a plain Llama).
     */
    ArchDetails details(ConfigJson json, int numLayers, int headDim, int maxPositions) {
        return ArchDetails.NONE;
    }

    /** The MLP gate activation's config key and accepted values; Llama: {@code hidden_act} = silu. */
    Activation activation(ConfigJson json) {
        String act = json.optString("hidden_act", "silu");
        if (!act.equals("silu")) {
            throw json.error("hidden_act is \"" + act + "\", which this runtime does not implement for " + modelTypes().get(0)
                    + " (supported: silu)");
        }
        return Activation.SILU;
    }

    /**
     * transformers' default for an absent {@code tie_word_embeddings} in this architecture's config class (false for
     * Llama; Gemma's published configs omit the key and rely on the default, true).
     */
    boolean tiedByDefault() {
        return false;
    }

    /** Where q/k norms sit, or null for none (Llama). */
    QkNorm.Scope qkNormScope() {
        return null;
    }

    @Override
    public ModelConfig parseConfig(ConfigJson json) {
        activation(json);
        ArchitectureRegistry.rejectMixtureOfExperts(json);
        int hidden = json.requireInt("hidden_size");
        int heads = json.requireInt("num_attention_heads");
        int kvHeads = json.optInt("num_key_value_heads", heads);
        int headDim = json.has("head_dim") ? json.requireInt("head_dim") : hidden / heads;
        if (!json.has("head_dim") && hidden % heads != 0) {
            throw json.error("hidden_size " + hidden + " is not divisible by num_attention_heads " + heads + " and head_dim is absent");
        }
        int layers = json.requireInt("num_hidden_layers");
        int maxPos = json.optInt("max_position_embeddings", 2048);
        ArchDetails details = details(json, layers, headDim, maxPos);
        RopeConfig rope = json.ropePerLayerType() ? json.rope(10000.0, "full_attention") : json.rope(10000.0);
        boolean attnBias = qkvBias(json);
        boolean mlpBias = json.optBoolean("mlp_bias", false);
        try {
            return new ModelConfig(json.optString("model_type", ""), hidden, json.requireInt("intermediate_size"), layers, heads,
                    kvHeads, headDim, json.requireInt("vocab_size"), maxPos, json.requireDouble("rms_norm_eps"), rope,
                    json.optBoolean("tie_word_embeddings", tiedByDefault()), attnBias, mlpBias, json.storedDtype(),
                    json.optInt("bos_token_id", -1), json.intList("eos_token_id"), details);
        } catch (IllegalArgumentException e) {
            throw json.error(e.getMessage());
        }
    }

    /** One sliding window W for every layer when {@code sliding_window} is a number (Mistral, Phi-3), else none. */
    static ArchDetails windowOnEveryLayer(ConfigJson json, int numLayers) {
        if (!json.has("sliding_window")) {
            return ArchDetails.NONE;
        }
        int w = json.requireInt("sliding_window");
        if (w <= 0) {
            throw json.error("sliding_window is " + w + ", expected a positive number of keys or null");
        }
        return ArchDetails.NONE.withWindows(java.util.Collections.nCopies(numLayers, w));
    }

    @Override
    public Transformer build(ModelConfig c, WeightLoader w, NDManager manager, DataType dtype) {
        int h = c.hiddenSize();
        if (w.has("model.layers.0.self_attn.sinks")) {
            throw new dev.steeropt.core.model.ModelLoadException("Cannot load model '" + w.store().dir() + "': the checkpoint"
                    + " holds attention sinks (model.layers.0.self_attn.sinks), which this runtime does not implement (supported:"
                    + " none)");
        }
        Activation act = activationOf(c);
        List<DecoderBlock> blocks = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            blocks.add(block(c, w, i, p, attention(c, w, i, p), mlp(c, w, p, act)));
        }
        NDArray embed = w.load("model.embed_tokens.weight", c.vocabSize(), h);
        NDArray unembed = c.tieWordEmbeddings() ? embed.transpose()
                : transposed(w.load("lm_head.weight", c.vocabSize(), h));
        List<Rope> ropes = new ArrayList<>();
        ropes.add(Rope.create(manager, c.rope().inverseFrequencies(c.rotaryDim()), c.maxPositions(), dtype));
        if (c.details().localRope() != null) {
            ropes.add(Rope.create(manager, c.details().localRope().inverseFrequencies(c.rotaryDim()), c.maxPositions(), dtype));
        }
        return new Transformer(embed, null, blocks, norm(w, "model.norm.weight", h, c), unembed, ropes, embedScale(c),
                (float) c.details().finalSoftCap());
    }

    /** Names of the block's norms under {@code model.layers.{i}.}: Llama's pre-norms before attention and MLP. */
    List<String> blockNorms() {
        return List.of("input_layernorm", "post_attention_layernorm");
    }

    /** How transformers initialises this architecture's norm weights (Gemma's {@code 1 + w} norms start at 0). */
    StoredTensor.Init normInit() {
        return StoredTensor.Init.ONES;
    }

    /** True if q/k/v and gate/up are stored fused ({@code qkv_proj}, {@code gate_up_proj}), as in Phi-3. */
    boolean fusedProjections() {
        return false;
    }

    @Override
    public List<StoredTensor> storedTensors(ModelConfig c) {
        long h = c.hiddenSize();
        long q = (long) c.numHeads() * c.headDim();
        long kv = (long) c.numKvHeads() * c.headDim();
        long inter = c.intermediateSize();
        StoredTensor.Init normInit = normInit();
        List<StoredTensor> out = new ArrayList<>();
        out.add(StoredTensor.normal("model.embed_tokens.weight", c.vocabSize(), h));
        QkNorm.Scope scope = qkNormScope();
        for (int i = 0; i < c.numLayers(); i++) {
            String p = "model.layers." + i + ".";
            if (fusedProjections()) {
                StoredTensor.linear(out, p + "self_attn.qkv_proj", q + 2 * kv, h, false);
            } else {
                StoredTensor.linear(out, p + "self_attn.q_proj", q, h, c.attentionBias());
                StoredTensor.linear(out, p + "self_attn.k_proj", kv, h, c.attentionBias());
                StoredTensor.linear(out, p + "self_attn.v_proj", kv, h, c.attentionBias());
            }
            StoredTensor.linear(out, p + "self_attn.o_proj", h, q, c.attentionBias() && outBias());
            if (scope != null) {
                boolean perHead = scope == QkNorm.Scope.PER_HEAD;
                out.add(StoredTensor.filled(p + "self_attn.q_norm.weight", perHead ? c.headDim() : q, normInit));
                out.add(StoredTensor.filled(p + "self_attn.k_norm.weight", perHead ? c.headDim() : kv, normInit));
            }
            if (fusedProjections()) {
                StoredTensor.linear(out, p + "mlp.gate_up_proj", 2 * inter, h, false);
            } else {
                StoredTensor.linear(out, p + "mlp.gate_proj", inter, h, c.mlpBias());
                StoredTensor.linear(out, p + "mlp.up_proj", inter, h, c.mlpBias());
            }
            StoredTensor.linear(out, p + "mlp.down_proj", h, inter, c.mlpBias());
            for (String norm : blockNorms()) {
                out.add(StoredTensor.filled(p + norm + ".weight", h, normInit));
            }
        }
        out.add(StoredTensor.filled("model.norm.weight", h, normInit));
        if (!c.tieWordEmbeddings()) {
            out.add(StoredTensor.normal("lm_head.weight", c.vocabSize(), h));
        }
        return out;
    }

    /** The gate activation of a built config (the config was checked by {@link #parseConfig}). */
    Activation activationOf(ModelConfig c) {
        return Activation.SILU;
    }

    /** Llama's pre-norm block: {@code input_layernorm} before attention, {@code post_attention_layernorm} before the MLP. */
    DecoderBlock block(ModelConfig c, WeightLoader w, int i, String p, Attention attn, GatedMlp mlp) {
        int h = c.hiddenSize();
        return new DecoderBlock(i, norm(w, p + "input_layernorm.weight", h, c), attn, norm(w, p + "post_attention_layernorm.weight", h, c),
                mlp);
    }

    /** Factor on the embedding before the first block (Gemma: √d_model). */
    float embedScale(ModelConfig c) {
        return 1f;
    }

    /** A norm weight as the norm multiplies by it ({@code w}; Gemma: {@code 1 + w}). */
    NDArray normWeight(WeightLoader w, String name, int size) {
        return w.load(name, size);
    }

    final Norm norm(WeightLoader w, String name, int size, ModelConfig c) {
        return new RmsNorm(normWeight(w, name, size), (float) c.normEps());
    }

    /** The fused q/k/v weight {@code [(n_heads + 2·n_kv)·d_head, d_model]}: all q rows, then k, then v. */
    NDArray qkvWeight(ModelConfig c, WeightLoader w, String p) {
        int qOut = c.numHeads() * c.headDim();
        int kvOut = c.numKvHeads() * c.headDim();
        return concatAndFree(w.load(p + "self_attn.q_proj.weight", qOut, c.hiddenSize()),
                w.load(p + "self_attn.k_proj.weight", kvOut, c.hiddenSize()), w.load(p + "self_attn.v_proj.weight", kvOut, c.hiddenSize()));
    }

    /** The fused gate/up weight {@code [2·intermediate, d_model]}: gate rows, then up. */
    NDArray gateUpWeight(ModelConfig c, WeightLoader w, String p) {
        int inter = c.intermediateSize();
        return concatAndFree(w.load(p + "mlp.gate_proj.weight", inter, c.hiddenSize()), w.load(p + "mlp.up_proj.weight", inter, c.hiddenSize()));
    }

    private Attention attention(ModelConfig c, WeightLoader w, int i, String p) {
        int h = c.hiddenSize();
        int qOut = c.numHeads() * c.headDim();
        int kvOut = c.numKvHeads() * c.headDim();
        float scale = (float) (c.details().attentionScale() > 0 ? c.details().attentionScale() : 1.0 / Math.sqrt(c.headDim()));
        QkNorm.Scope scope = qkNormScope();
        // The score scale is folded into the q projection (RoPE is linear, so scaling before it is the same), or, when
        // q is normed after the projection, into the q norm's weight.
        NDArray qkvW = qkvWeight(c, w, p);
        if (scope == null) {
            NDList parts = qkvW.split(new long[] {qOut}, 0);
            NDArray scaled = concatAndFree(parts.get(0).mul(scale), parts.get(1));
            parts.close();
            qkvW.close();
            qkvW = scaled;
        }
        NDArray qkvB = null;
        if (c.attentionBias()) {
            qkvB = NDArrays.concat(new NDList(w.load(p + "self_attn.q_proj.bias", qOut).mul(scope == null ? scale : 1f),
                    w.load(p + "self_attn.k_proj.bias", kvOut), w.load(p + "self_attn.v_proj.bias", kvOut)), 0);
        }
        QkNorm qkNorm = null;
        if (scope != null) {
            int qSize = scope == QkNorm.Scope.PER_HEAD ? c.headDim() : qOut;
            int kSize = scope == QkNorm.Scope.PER_HEAD ? c.headDim() : kvOut;
            float eps = (float) c.normEps();
            qkNorm = new QkNorm(new RmsNorm(scaled(normWeight(w, p + "self_attn.q_norm.weight", qSize), scale), eps),
                    new RmsNorm(normWeight(w, p + "self_attn.k_norm.weight", kSize), eps), scope);
        }
        Linear qkv = w.linear(transposed(qkvW), qkvB);
        Linear o = w.linear(transposed(w.load(p + "self_attn.o_proj.weight", h, qOut)),
                c.attentionBias() && outBias() ? w.load(p + "self_attn.o_proj.bias", h) : null);
        int window = c.details().window(i);
        int ropeTable = c.details().localRope() != null && window > 0 ? 1 : 0;
        return new Attention(qkv, o, c.numHeads(), c.numKvHeads(), c.headDim(), 1f, ropeTable, window,
                (float) c.details().attnSoftCap(), qkNorm);
    }

    private GatedMlp mlp(ModelConfig c, WeightLoader w, String p, Activation act) {
        int inter = c.intermediateSize();
        int h = c.hiddenSize();
        NDArray gateUpW = gateUpWeight(c, w, p);
        NDArray gateUpB = c.mlpBias() ? NDArrays.concat(new NDList(w.load(p + "mlp.gate_proj.bias", inter),
                w.load(p + "mlp.up_proj.bias", inter)), 0) : null;
        Linear gateUp = w.linear(transposed(gateUpW), gateUpB);
        Linear down = w.linear(transposed(w.load(p + "mlp.down_proj.weight", h, inter)),
                c.mlpBias() ? w.load(p + "mlp.down_proj.bias", h) : null);
        return new GatedMlp(gateUp, down, inter, act);
    }

    /**
     * The transposed view of {@code x}, with {@code x} itself freed: the view then owns the storage alone, so a layer
     * that frees its weight (as packing for inference does) frees the memory at once, not when loading ends.
     */
    static NDArray transposed(NDArray x) {
        NDArray view = x.transpose();
        x.close();
        return view;
    }

    /** {@code x · factor}; the input is freed at once (loading holds each weight once, not per intermediate). */
    static NDArray scaled(NDArray x, float factor) {
        NDArray out = x.mul(factor);
        x.close();
        return out;
    }

    /** The parts concatenated along dimension 0; the parts are freed at once. */
    static NDArray concatAndFree(NDArray... parts) {
        NDList list = new NDList(parts);
        NDArray out = NDArrays.concat(list, 0);
        list.close();
        return out;
    }
}

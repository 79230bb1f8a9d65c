package dev.steeropt.core.model.init;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The architecture numbers a randomly initialised Llama-family checkpoint needs, read from (or written to) an HF
 * {@code config.json}.
 *
 * @param modelType         {@code "llama"} or {@code "qwen2"}
 * @param hiddenSize        H
 * @param numLayers         N
 * @param numHeads          nH
 * @param numKvHeads        nKV; divides nH
 * @param headDim           d
 * @param intermediateSize  I (SwiGLU width)
 * @param vocabSize         V
 * @param tieWordEmbeddings whether {@code lm_head} reuses {@code embed_tokens} (no {@code lm_head.weight} stored)
 * @param qkvBias           q/k/v projections carry biases (always for qwen2; {@code attention_bias} for llama)
 * @param oBias             o_proj carries a bias (llama {@code attention_bias} only; never qwen2)
 * @param mlpBias           gate/up/down carry biases (llama {@code mlp_bias})
 * @param initializerRange  standard deviation of the normal weight init
 */
public record ModelShape(String modelType, int hiddenSize, int numLayers, int numHeads, int numKvHeads, int headDim,
        int intermediateSize, int vocabSize, boolean tieWordEmbeddings, boolean qkvBias, boolean oBias,
        boolean mlpBias, double initializerRange) {

    public ModelShape {
        if (!modelType.equals("llama") && !modelType.equals("qwen2")) {
            throw new IllegalArgumentException("model_type \"" + modelType + "\" is not supported by init-model;"
                    + " supported: llama, qwen2");
        }
        positive("hidden_size", hiddenSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("head_dim", headDim);
        positive("intermediate_size", intermediateSize);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads " + numHeads + " is not a multiple of"
                    + " num_key_value_heads " + numKvHeads + "; grouped-query attention needs nH = k·nKV");
        }
        if (headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim " + headDim + " is odd; rotary embeddings need an even"
                    + " head_dim");
        }
        if (vocabSize < ModelInitializer.MIN_VOCAB) {
            throw new IllegalArgumentException("vocab_size " + vocabSize + " is too small: the byte-level tokenizer"
                    + " needs 256 byte symbols plus 3 special tokens, so at least " + ModelInitializer.MIN_VOCAB);
        }
        if (!(initializerRange > 0 && Double.isFinite(initializerRange))) {
            throw new IllegalArgumentException("initializer_range " + initializerRange + " must be positive");
        }
    }

    private static void positive(String key, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " is " + value + "; it must be positive");
        }
    }

    /** One stored tensor: HF name and shape. */
    public record TensorSpec(String name, long[] shape, Init init) {}

    /** How a tensor is initialised: normal weights, unit norms, zero biases (HF's {@code _init_weights}). */
    public enum Init { NORMAL, ONES, ZEROS }

    /** Every tensor transformers stores for this shape, with HF's names and {@code [out, in]} Linear shapes. */
    public List<TensorSpec> tensors() {
        long h = hiddenSize;
        long q = (long) numHeads * headDim;
        long kv = (long) numKvHeads * headDim;
        long inter = intermediateSize;
        List<TensorSpec> out = new ArrayList<>();
        out.add(new TensorSpec("model.embed_tokens.weight", new long[] {vocabSize, h}, Init.NORMAL));
        for (int i = 0; i < numLayers; i++) {
            String p = "model.layers." + i + ".";
            out.add(new TensorSpec(p + "input_layernorm.weight", new long[] {h}, Init.ONES));
            linear(out, p + "self_attn.q_proj", q, h, qkvBias);
            linear(out, p + "self_attn.k_proj", kv, h, qkvBias);
            linear(out, p + "self_attn.v_proj", kv, h, qkvBias);
            linear(out, p + "self_attn.o_proj", h, q, oBias);
            out.add(new TensorSpec(p + "post_attention_layernorm.weight", new long[] {h}, Init.ONES));
            linear(out, p + "mlp.gate_proj", inter, h, mlpBias);
            linear(out, p + "mlp.up_proj", inter, h, mlpBias);
            linear(out, p + "mlp.down_proj", h, inter, mlpBias);
        }
        out.add(new TensorSpec("model.norm.weight", new long[] {h}, Init.ONES));
        if (!tieWordEmbeddings) {
            out.add(new TensorSpec("lm_head.weight", new long[] {vocabSize, h}, Init.NORMAL));
        }
        return out;
    }

    /** Total parameter count (tied embeddings counted once). */
    public long parameterCount() {
        long n = 0;
        for (TensorSpec t : tensors()) {
            long numel = 1;
            for (long d : t.shape()) {
                numel *= d;
            }
            n += numel;
        }
        return n;
    }

    /** The HF architecture class name. */
    public String architecture() {
        return modelType.equals("qwen2") ? "Qwen2ForCausalLM" : "LlamaForCausalLM";
    }

    private static void linear(List<TensorSpec> out, String prefix, long rows, long cols, boolean bias) {
        out.add(new TensorSpec(prefix + ".weight", new long[] {rows, cols}, Init.NORMAL));
        if (bias) {
            out.add(new TensorSpec(prefix + ".bias", new long[] {rows}, Init.ZEROS));
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s[H=%d, N=%d, heads=%d/%d, d=%d, I=%d, V=%d, tied=%s]", architecture(),
                hiddenSize, numLayers, numHeads, numKvHeads, headDim, intermediateSize, vocabSize, tieWordEmbeddings);
    }
}

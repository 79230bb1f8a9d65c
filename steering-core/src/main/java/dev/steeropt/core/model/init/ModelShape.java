package dev.steeropt.core.model.init;

import java.util.Locale;

/**
 * The numbers of a Llama or Qwen2 {@code config.json} that {@code init-model} builds from transformers' defaults for
 * those types. Its tensors are those the architecture's adapter lists
 * ({@link dev.steeropt.core.model.arch.ArchitectureAdapter#storedTensors}).
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

    /** The HF architecture class name. */
    public String architecture() {
        return modelType.equals("qwen2") ? "Qwen2ForCausalLM" : "LlamaForCausalLM";
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s[H=%d, N=%d, heads=%d/%d, d=%d, I=%d, V=%d, tied=%s]", architecture(),
                hiddenSize, numLayers, numHeads, numKvHeads, headDim, intermediateSize, vocabSize, tieWordEmbeddings);
    }
}

package dev.steeropt.core.model.config;

import java.util.List;
import java.util.Objects;

/**
 * The architecture-independent view of a Hugging Face {@code config.json}, after defaults are resolved
 * ({@code head_dim} absent → hidden/heads, {@code num_key_value_heads} absent → heads).
 *
 * @param modelType           HF {@code model_type}, e.g. {@code llama}
 * @param hiddenSize          d_model
 * @param intermediateSize    MLP width
 * @param numLayers           n_layers
 * @param numHeads            n_heads (query heads)
 * @param numKvHeads          key/value heads (GQA); equals numHeads without GQA
 * @param headDim             d_head
 * @param vocabSize           d_vocab
 * @param maxPositions        longest supported sequence (positions table size)
 * @param normEps             RMSNorm / LayerNorm epsilon
 * @param rope                RoPE settings, or {@code null} for learned positions (GPT-2)
 * @param tieWordEmbeddings   output matrix is the embedding matrix
 * @param attentionBias       q/k/v (and for Llama o) projections carry biases
 * @param mlpBias             MLP projections carry biases
 * @param storedDtype         {@code torch_dtype} / {@code dtype} as written (may be {@code null})
 * @param bosTokenId          BOS id or -1
 * @param eosTokenIds         EOS ids from config.json (may be empty)
 * @param details             sliding windows, partial rotary, soft-caps ({@link ArchDetails#NONE} for Llama/GPT-2)
 */
public record ModelConfig(String modelType, int hiddenSize, int intermediateSize, int numLayers, int numHeads,
        int numKvHeads, int headDim, int vocabSize, int maxPositions, double normEps, RopeConfig rope,
        boolean tieWordEmbeddings, boolean attentionBias, boolean mlpBias, String storedDtype, int bosTokenId,
        List<Integer> eosTokenIds, ArchDetails details) {

    /** A config without the newer architectures' details ({@link ArchDetails#NONE}). */
    public ModelConfig(String modelType, int hiddenSize, int intermediateSize, int numLayers, int numHeads, int numKvHeads,
            int headDim, int vocabSize, int maxPositions, double normEps, RopeConfig rope, boolean tieWordEmbeddings,
            boolean attentionBias, boolean mlpBias, String storedDtype, int bosTokenId, List<Integer> eosTokenIds) {
        this(modelType, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, headDim, vocabSize, maxPositions, normEps,
                rope, tieWordEmbeddings, attentionBias, mlpBias, storedDtype, bosTokenId, eosTokenIds, ArchDetails.NONE);
    }

    public ModelConfig {
        Objects.requireNonNull(modelType, "modelType");
        positive("hidden_size", hiddenSize);
        positive("intermediate_size", intermediateSize);
        positive("num_hidden_layers", numLayers);
        positive("num_attention_heads", numHeads);
        positive("num_key_value_heads", numKvHeads);
        positive("head_dim", headDim);
        positive("vocab_size", vocabSize);
        positive("max_position_embeddings", maxPositions);
        if (numHeads % numKvHeads != 0) {
            throw new IllegalArgumentException("num_attention_heads (" + numHeads + ") must be a multiple of num_key_value_heads ("
                    + numKvHeads + ")");
        }
        if (rope != null && headDim % 2 != 0) {
            throw new IllegalArgumentException("head_dim must be even for RoPE, got " + headDim);
        }
        if (!(normEps > 0)) {
            throw new IllegalArgumentException("norm epsilon must be positive, got " + normEps);
        }
        eosTokenIds = List.copyOf(eosTokenIds);
        Objects.requireNonNull(details, "details");
        if (!details.slidingWindows().isEmpty() && details.slidingWindows().size() != numLayers) {
            throw new IllegalArgumentException("layer types list " + details.slidingWindows().size() + " layers, but"
                    + " num_hidden_layers is " + numLayers);
        }
        if (details.rotaryDim() > headDim) {
            throw new IllegalArgumentException("rotary dims " + details.rotaryDim() + " exceed head_dim " + headDim);
        }
    }

    /** Dims of each head that RoPE rotates. */
    public int rotaryDim() {
        return details.rotaryDim() == 0 ? headDim : details.rotaryDim();
    }

    private static void positive(String key, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + v);
        }
    }

    /** Query heads per key/value head. */
    public int groupSize() {
        return numHeads / numKvHeads;
    }
}

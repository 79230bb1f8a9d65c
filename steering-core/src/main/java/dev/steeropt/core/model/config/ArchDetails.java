package dev.steeropt.core.model.config;

import java.util.List;

/**
 * The attention and output details in which the newer architectures differ from Llama (the {@code arch_details} of
 * the fixtures' reference.json). {@link #NONE} is plain Llama/GPT-2 behaviour.
 *
 * @param slidingWindows per layer, the sliding window in keys (the query included), 0 for full attention; empty when
 *                       every layer is full
 * @param rotaryDim      dims of each head that RoPE rotates, 0 for all of them (partial rotary: Phi-3, GPT-NeoX)
 * @param localRope      RoPE of the sliding layers when it differs from {@code rope} (Gemma 3), or null
 * @param attentionScale factor on the attention scores, 0 for {@code 1/sqrt(head_dim)} (Gemma:
 *                       {@code query_pre_attn_scalar^-1/2})
 * @param attnSoftCap    attention logit soft-cap (Gemma 2), 0 for none
 * @param finalSoftCap   final logit soft-cap (Gemma), 0 for none
 * @param parallelResidual attention and MLP read the same input (GPT-NeoX's {@code use_parallel_residual})
 */
public record ArchDetails(List<Integer> slidingWindows, int rotaryDim, RopeConfig localRope, double attentionScale,
        double attnSoftCap, double finalSoftCap, boolean parallelResidual) {
    /** No window, full rotary, 1/sqrt(d) scale, no soft-caps, sequential blocks. */
    public static final ArchDetails NONE = new ArchDetails(List.of(), 0, null, 0, 0, 0, false);

    public ArchDetails {
        slidingWindows = List.copyOf(slidingWindows);
        for (int w : slidingWindows) {
            if (w < 0) {
                throw new IllegalArgumentException("sliding_window must be positive, got " + w);
            }
        }
        if (rotaryDim < 0 || rotaryDim % 2 != 0) {
            throw new IllegalArgumentException("the rotated dims per head must be even and non-negative, got " + rotaryDim);
        }
        if (attentionScale < 0 || attnSoftCap < 0 || finalSoftCap < 0) {
            throw new IllegalArgumentException("attention scale and soft-caps must be positive (or 0 for the default), got "
                    + attentionScale + ", " + attnSoftCap + ", " + finalSoftCap);
        }
    }

    /** The sliding window of layer {@code i}, 0 for full attention. */
    public int window(int layer) {
        return slidingWindows.isEmpty() ? 0 : slidingWindows.get(layer);
    }

    /** A copy with per-layer windows. */
    public ArchDetails withWindows(List<Integer> windows) {
        return new ArchDetails(windows, rotaryDim, localRope, attentionScale, attnSoftCap, finalSoftCap, parallelResidual);
    }

    /** A copy with the rotated dims per head. */
    public ArchDetails withRotaryDim(int dims) {
        return new ArchDetails(slidingWindows, dims, localRope, attentionScale, attnSoftCap, finalSoftCap, parallelResidual);
    }

    /** A copy with parallel or sequential blocks. */
    public ArchDetails withParallelResidual(boolean parallel) {
        return new ArchDetails(slidingWindows, rotaryDim, localRope, attentionScale, attnSoftCap, finalSoftCap, parallel);
    }
}

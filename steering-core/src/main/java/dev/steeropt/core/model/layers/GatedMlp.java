package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Objects;

/**
 * Gated MLP: {@code down( act(x·W_gate) ⊙ (x·W_up) )}, with gate and up fused into one projection at load; SwiGLU
 * with {@link Activation#SILU} (Llama family), GeGLU with {@link Activation#GELU_TANH} (Gemma).
 *
 * @param gateUp           {@code [d_model, 2·intermediate]}: gate features then up features
 * @param down             {@code [intermediate, d_model]}
 * @param intermediateSize intermediate width
 * @param activation       applied to the gate
 */
public record GatedMlp(Linear gateUp, Linear down, long intermediateSize, Activation activation) implements Mlp {
    public GatedMlp {
        Objects.requireNonNull(gateUp);
        Objects.requireNonNull(down);
        Objects.requireNonNull(activation);
    }

    /** SwiGLU. */
    public GatedMlp(Linear gateUp, Linear down, long intermediateSize) {
        this(gateUp, down, intermediateSize, Activation.SILU);
    }

    @Override
    public java.util.List<Linear> linears() {
        return java.util.List.of(gateUp, down);
    }

    @Override
    public java.util.List<NDArray> parameters() {
        java.util.List<NDArray> out = new java.util.ArrayList<>(gateUp.parameters());
        out.addAll(down.parameters());
        return out;
    }

    @Override
    public NDArray apply(NDArray x) {
        NDList gu = gateUp.apply(x).split(new long[] {intermediateSize}, x.getShape().dimension() - 1);
        return down.apply(activation.apply(gu.get(0)).mul(gu.get(1)));
    }
}

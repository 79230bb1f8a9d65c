package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.Objects;

/**
 * SwiGLU MLP: {@code down( silu(x·W_gate) ⊙ (x·W_up) )}, with gate and up fused into one projection at load.
 *
 * @param gateUp           {@code [d_model, 2·intermediate]}: gate features then up features
 * @param down             {@code [intermediate, d_model]}
 * @param intermediateSize intermediate width
 */
public record GatedMlp(Linear gateUp, Linear down, long intermediateSize) implements Mlp {
    public GatedMlp {
        Objects.requireNonNull(gateUp);
        Objects.requireNonNull(down);
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
        NDArray gate = gu.get(0);
        NDArray silu = gate.mul(gate.getNDArrayInternal().sigmoid());
        return down.apply(silu.mul(gu.get(1)));
    }
}

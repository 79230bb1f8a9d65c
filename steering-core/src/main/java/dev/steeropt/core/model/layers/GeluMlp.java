package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * Two-layer GELU MLP: {@code proj( gelu(x·W_fc + b_fc) )}; GPT-2 uses the tanh approximation
 * ({@link Activation#GELU_TANH}), GPT-NeoX the exact erf form ({@link Activation#GELU_ERF}).
 *
 * @param fc         {@code [d_model, intermediate]}
 * @param proj       {@code [intermediate, d_model]}
 * @param activation the GELU variant
 */
public record GeluMlp(Linear fc, Linear proj, Activation activation) implements Mlp {
    public GeluMlp {
        Objects.requireNonNull(fc);
        Objects.requireNonNull(proj);
        Objects.requireNonNull(activation);
    }

    /** GPT-2's MLP (tanh GELU). */
    public GeluMlp(Linear fc, Linear proj) {
        this(fc, proj, Activation.GELU_TANH);
    }

    @Override
    public java.util.List<Linear> linears() {
        return java.util.List.of(fc, proj);
    }

    @Override
    public java.util.List<NDArray> parameters() {
        java.util.List<NDArray> out = new java.util.ArrayList<>(fc.parameters());
        out.addAll(proj.parameters());
        return out;
    }

    @Override
    public NDArray apply(NDArray x) {
        return proj.apply(activation.apply(fc.apply(x)));
    }
}

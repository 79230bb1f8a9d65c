package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * GPT-2 MLP: {@code proj( gelu_new(x·W_fc + b_fc) )} with the tanh approximation
 * {@code 0.5·z·(1 + tanh(sqrt(2/π)·(z + 0.044715·z³)))} (= {@code gelu_pytorch_tanh}).
 *
 * @param fc   {@code [d_model, intermediate]}
 * @param proj {@code [intermediate, d_model]}
 */
public record GeluMlp(Linear fc, Linear proj) implements Mlp {
    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);

    public GeluMlp {
        Objects.requireNonNull(fc);
        Objects.requireNonNull(proj);
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
        return proj.apply(geluTanh(fc.apply(x)));
    }

    /** The tanh-approximated GELU. */
    static NDArray geluTanh(NDArray z) {
        NDArray inner = z.add(z.pow(3).mul(0.044715f)).mul(SQRT_2_OVER_PI);
        return z.mul(0.5f).mul(inner.tanh().add(1f));
    }
}

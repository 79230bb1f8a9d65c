package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;

/** The elementwise activations of the MLPs, named as in HF's {@code hidden_act} / {@code hidden_activation}. */
public enum Activation {
    /** {@code z · sigmoid(z)} ({@code silu}). */
    SILU,
    /** {@code 0.5·z·(1 + tanh(sqrt(2/π)·(z + 0.044715·z³)))} ({@code gelu_new}, {@code gelu_pytorch_tanh}). */
    GELU_TANH,
    /** The exact GELU {@code 0.5·z·(1 + erf(z/√2))} ({@code gelu}). */
    GELU_ERF;

    private static final float SQRT_2_OVER_PI = (float) Math.sqrt(2.0 / Math.PI);
    private static final float INV_SQRT_2 = (float) (1.0 / Math.sqrt(2.0));

    /** Applies the activation elementwise. */
    public NDArray apply(NDArray z) {
        return switch (this) {
            case SILU -> z.mul(z.getNDArrayInternal().sigmoid());
            case GELU_TANH -> {
                NDArray inner = z.add(z.pow(3).mul(0.044715f)).mul(SQRT_2_OVER_PI);
                yield z.mul(0.5f).mul(inner.tanh().add(1f));
            }
            case GELU_ERF -> z.mul(0.5f).mul(z.mul(INV_SQRT_2).erf().add(1f));
        };
    }
}

package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * {@code y = x · W + b} with W stored pre-transposed as {@code [in, out]} (so HF's {@code [out, in]} Linear weights
 * are transposed once at load, GPT-2's Conv1D weights are used as stored).
 *
 * @param weight {@code [in, out]}
 * @param bias   {@code [out]} or null
 */
public record Linear(NDArray weight, NDArray bias) {
    public Linear {
        Objects.requireNonNull(weight, "weight");
    }

    /** Applies the projection to {@code [..., in]}. */
    public NDArray apply(NDArray x) {
        NDArray y = x.matMul(weight);
        return bias == null ? y : y.add(bias);
    }

    /** The weight and, if present, the bias. */
    public java.util.List<NDArray> parameters() {
        return bias == null ? java.util.List.of(weight) : java.util.List.of(weight, bias);
    }

    /** Output features. */
    public long outFeatures() {
        return weight.getShape().get(1);
    }
}

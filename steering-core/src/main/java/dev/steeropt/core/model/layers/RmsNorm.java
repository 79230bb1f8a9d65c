package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Objects;

/**
 * {@code RMSNorm(x) = w ⊙ x / sqrt(mean(x²) + eps)}, computed in float32 whatever the compute dtype (as transformers
 * does), the weight applied after casting back.
 *
 * @param weight {@code [d_model]}
 * @param eps    inside the square root
 */
public record RmsNorm(NDArray weight, float eps) implements Norm {
    public RmsNorm {
        Objects.requireNonNull(weight, "weight");
    }

    @Override
    public java.util.List<NDArray> parameters() {
        return java.util.List.of(weight);
    }

    @Override
    public NDArray apply(NDArray x) {
        DataType in = x.getDataType();
        NDArray xf = in == DataType.FLOAT32 ? x : x.toType(DataType.FLOAT32, false);
        NDArray ms = xf.square().mean(new int[] {x.getShape().dimension() - 1}, true);
        NDArray normed = xf.div(ms.add(eps).sqrt());
        if (in != DataType.FLOAT32) {
            normed = normed.toType(in, false);
        }
        return normed.mul(weight);
    }
}

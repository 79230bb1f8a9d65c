package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * {@code LayerNorm(x) = w ⊙ (x − mean) / sqrt(var + eps) + b} with the biased variance, via the engine's fused layer
 * norm (float32 for half-precision inputs).
 *
 * @param weight {@code [d_model]}
 * @param bias   {@code [d_model]}
 * @param eps    epsilon
 */
public record LayerNorm(NDArray weight, NDArray bias, float eps) implements Norm {
    public LayerNorm {
        Objects.requireNonNull(weight, "weight");
        Objects.requireNonNull(bias, "bias");
    }

    @Override
    public java.util.List<NDArray> parameters() {
        return java.util.List.of(weight, bias);
    }

    @Override
    public NDArray apply(NDArray x) {
        DataType in = x.getDataType();
        Shape normShape = new Shape(weight.getShape().get(0));
        if (in == DataType.FLOAT32) {
            return x.getNDArrayInternal().layerNorm(x, normShape, weight, bias, eps).singletonOrThrow();
        }
        NDArray xf = x.toType(DataType.FLOAT32, false);
        NDArray centred = xf.sub(xf.mean(new int[] {x.getShape().dimension() - 1}, true));
        NDArray var = centred.square().mean(new int[] {x.getShape().dimension() - 1}, true);
        return centred.div(var.add(eps).sqrt()).toType(in, false).mul(weight).add(bias);
    }
}

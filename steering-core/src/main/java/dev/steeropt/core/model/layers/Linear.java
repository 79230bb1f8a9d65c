package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Objects;

/**
 * {@code y = x · W + b} with W stored pre-transposed as {@code [in, out]} (so HF's {@code [out, in]} Linear weights
 * are transposed once at load, GPT-2's Conv1D weights are used as stored).
 *
 * <p>A model loaded for inference packs the weight for {@link OneDnn} once ({@link #packForInference}); the dense
 * weight is then freed and every product runs on the packed one. Training code never packs, so its products stay
 * differentiable.
 */
public final class Linear {
    private final long inFeatures;
    private final long outFeatures;
    private final NDArray bias;
    private NDArray weight;
    private NDArray packed;
    private OneDnn kernels;

    /**
     * @param weight {@code [in, out]}
     * @param bias   {@code [out]} or null
     */
    public Linear(NDArray weight, NDArray bias) {
        this.weight = Objects.requireNonNull(weight, "weight");
        this.bias = bias;
        this.inFeatures = weight.getShape().get(0);
        this.outFeatures = weight.getShape().get(1);
    }

    /** Applies the projection to {@code [..., in]}. */
    public NDArray apply(NDArray x) {
        if (packed != null) {
            return kernels.linear(x, packed, bias);
        }
        NDArray y = x.matMul(weight);
        return bias == null ? y : y.add(bias);
    }

    /**
     * Moves the weight to oneDNN's packed layout and frees the dense one (in place, once, before the layer is shared):
     * the layer then serves inference only.
     */
    public void packForInference(OneDnn oneDnn) {
        if (packed != null) {
            return;
        }
        NDArray outIn = weight.transpose(); // a view sharing the weight's storage: closed with the weight below
        NDArray p = oneDnn.pack(outIn);
        p.attach(weight.getManager());
        outIn.close();
        weight.close();
        weight = null;
        packed = p;
        kernels = oneDnn;
    }

    /** True once {@link #packForInference} has run. */
    public boolean packed() {
        return packed != null;
    }

    /**
     * The dense weight {@code [in, out]}.
     *
     * @throws IllegalStateException once packed for inference (the dense weight is gone)
     */
    public NDArray weight() {
        if (weight == null) {
            throw new IllegalStateException("this layer was packed for inference; its dense weight is freed");
        }
        return weight;
    }

    /** The bias {@code [out]}, or null. */
    public NDArray bias() {
        return bias;
    }

    /** The arrays the layer holds: the weight (dense or packed) and, if present, the bias. */
    public List<NDArray> parameters() {
        NDArray w = packed != null ? packed : weight;
        return bias == null ? List.of(w) : List.of(w, bias);
    }

    /** Input features. */
    public long inFeatures() {
        return inFeatures;
    }

    /** Output features. */
    public long outFeatures() {
        return outFeatures;
    }
}

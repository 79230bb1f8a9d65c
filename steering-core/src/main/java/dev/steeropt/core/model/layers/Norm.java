package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;

/** A normalisation over the last axis ({@link RmsNorm}, {@link LayerNorm}). */
public interface Norm {
    /** Normalises {@code [..., d_model]}. */
    NDArray apply(NDArray x);

    /** The weights. */
    java.util.List<NDArray> parameters();
}

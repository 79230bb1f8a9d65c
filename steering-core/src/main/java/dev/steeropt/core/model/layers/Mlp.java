package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;

/** The feed-forward part of a block ({@link GatedMlp}, {@link GeluMlp}). */
public interface Mlp {
    /** {@code [batch, pos, d_model] -> [batch, pos, d_model]}. */
    NDArray apply(NDArray x);

    /** The weights. */
    java.util.List<NDArray> parameters();

    /** The projections, in order. */
    java.util.List<Linear> linears();
}

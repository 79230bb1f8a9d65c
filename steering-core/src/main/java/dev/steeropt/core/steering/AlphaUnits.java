package dev.steeropt.core.steering;

/**
 * What one unit of α means.
 *
 * <ul>
 *   <li>{@link #MEAN_RESIDUAL_NORM} (default): the added vector is {@code α · meanNorm · v/‖v‖}, where
 *       {@code meanNorm} is the vector's recorded mean residual-stream norm at its layer
 *       ({@link SteeringVector#KEY_MEAN_RESIDUAL_NORM}). α = 1 adds a vector as long as a typical residual, so one α
 *       range fits every layer and model.</li>
 *   <li>{@link #RAW}: the added vector is {@code α · v}, the vector as built (CAA's "natural activation-difference
 *       units", and what the seed pipeline used).</li>
 * </ul>
 */
public enum AlphaUnits {
    /** α in units of the mean residual norm at the layer, along the unit direction of v. */
    MEAN_RESIDUAL_NORM,
    /** α multiplies v as stored. */
    RAW;

    /**
     * The vector that α multiplies: {@code meanNorm · v/‖v‖} or {@code v}.
     *
     * @throws IllegalArgumentException if the units need a mean residual norm the vector does not record, or v is zero
     */
    public float[] direction(SteeringVector v) {
        float[] x = v.values();
        if (this == RAW) {
            return x;
        }
        double meanNorm = v.meanResidualNorm().orElseThrow(() -> new IllegalArgumentException("the layer-" + v.layer()
                + " steering vector records no " + SteeringVector.KEY_MEAN_RESIDUAL_NORM + ", so α cannot be expressed in"
                + " residual-norm units; build it with the CAA builder or use AlphaUnits.RAW"));
        double norm = v.norm();
        if (norm == 0) {
            throw new IllegalArgumentException("the layer-" + v.layer() + " steering vector is zero; it has no direction");
        }
        double s = meanNorm / norm;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = (float) (x[i] * s);
        }
        return out;
    }
}

package dev.steeropt.core.steering;

/** How DAC turns the truncated KL divergence into a strength (steering-reference §2.3 step 5). */
public enum KlMode {
    /**
     * {@code KL(ũ‖p̃) / |S_t|}: what the reference code computes ({@code F.kl_div(..., reduction="batchmean")} on a 1-D
     * tensor divides by the nucleus size).
     */
    REFERENCE,
    /** The plain {@code KL(ũ‖p̃)} over the nucleus union, not divided. */
    SUM
}

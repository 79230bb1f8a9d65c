package dev.steeropt.core.model.config;

import java.util.Locale;

/**
 * Rotary position embedding settings, resolved from either {@code rope_theta} + {@code rope_scaling} (transformers v4)
 * or {@code rope_parameters} (v5).
 *
 * <p>Supported scaling types: {@code default} (none), {@code linear}, {@code llama3}. Anything else is rejected when
 * the config is read, never silently treated as no scaling.
 *
 * @param theta                 base ({@code rope_theta})
 * @param type                  scaling type
 * @param factor                scaling factor (1 for none)
 * @param lowFreqFactor         llama3 {@code low_freq_factor}
 * @param highFreqFactor        llama3 {@code high_freq_factor}
 * @param originalMaxPositions  llama3 {@code original_max_position_embeddings}
 */
public record RopeConfig(double theta, Type type, double factor, double lowFreqFactor, double highFreqFactor,
        int originalMaxPositions) {

    /** RoPE scaling types this runtime implements. */
    public enum Type {
        DEFAULT,
        LINEAR,
        LLAMA3;

        /** The HF name, e.g. {@code "llama3"}. */
        public String hfName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public RopeConfig {
        if (!(theta > 0) || Double.isInfinite(theta)) {
            throw new IllegalArgumentException("rope_theta must be positive and finite, got " + theta);
        }
        if (!(factor > 0)) {
            throw new IllegalArgumentException("rope scaling factor must be positive, got " + factor);
        }
        if (type == Type.LLAMA3 && (!(highFreqFactor > lowFreqFactor) || originalMaxPositions <= 0)) {
            throw new IllegalArgumentException("llama3 rope_scaling needs high_freq_factor > low_freq_factor and a positive"
                    + " original_max_position_embeddings, got low " + lowFreqFactor + ", high " + highFreqFactor + ", original "
                    + originalMaxPositions);
        }
    }

    /** Unscaled RoPE with the given base. */
    public static RopeConfig unscaled(double theta) {
        return new RopeConfig(theta, Type.DEFAULT, 1.0, 0, 0, 0);
    }

    /**
     * The inverse frequencies {@code inv_freq[m]}, m = 0 … headDim/2 − 1, after scaling, as transformers computes
     * them (in double precision here).
     */
    public double[] inverseFrequencies(int headDim) {
        int half = headDim / 2;
        double[] inv = new double[half];
        for (int m = 0; m < half; m++) {
            inv[m] = 1.0 / Math.pow(theta, (2.0 * m) / headDim);
        }
        switch (type) {
            case DEFAULT -> { }
            case LINEAR -> {
                for (int m = 0; m < half; m++) {
                    inv[m] /= factor;
                }
            }
            case LLAMA3 -> {
                double lowWl = originalMaxPositions / lowFreqFactor;
                double highWl = originalMaxPositions / highFreqFactor;
                for (int m = 0; m < half; m++) {
                    double wl = 2 * Math.PI / inv[m];
                    if (wl < highWl) {
                        continue;
                    }
                    if (wl > lowWl) {
                        inv[m] = inv[m] / factor;
                    } else {
                        double s = (originalMaxPositions / wl - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                        inv[m] = (1 - s) * inv[m] / factor + s * inv[m];
                    }
                }
            }
            default -> throw new IllegalStateException("unhandled rope type " + type);
        }
        return inv;
    }
}

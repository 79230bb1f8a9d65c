package dev.steeropt.optimizer.samplers.tpe;

/**
 * Optuna's default gamma and weight functions for TPE (reference §2.1); the {@link TpeSampler.Builder} accepts
 * replacements.
 */
public final class TpeDefaults {
    private TpeDefaults() {}

    /** {@code min(ceil(0.1 n), 25)}: how many of n finished trials count as "below" (good). */
    public static int gamma(int n) {
        return Math.min((int) Math.ceil(0.1 * n), 25);
    }

    /** {@code ceil(0.1 n)} without the cap: Optuna 5.0's gamma for two or more objectives. */
    public static int gammaMultiObjective(int n) {
        return (int) Math.ceil(0.1 * n);
    }

    /** {@code min(ceil(0.25 sqrt(n)), 25)}: the gamma of Optuna's deprecated {@code hyperopt_parameters()}. */
    public static int hyperoptGamma(int n) {
        return Math.min((int) Math.ceil(0.25 * Math.sqrt(n)), 25);
    }

    /**
     * Observation weights, oldest first: all 1 for fewer than 25 observations; otherwise the oldest n-25 ramp linearly
     * from 1/n to 1 ({@code numpy.linspace}) and the newest 25 get 1.
     */
    public static double[] weights(int n) {
        double[] w = new double[n];
        if (n < 25) {
            java.util.Arrays.fill(w, 1.0);
            return w;
        }
        int ramp = n - 25;
        double start = 1.0 / n;
        if (ramp == 1) {
            w[0] = start;
        } else if (ramp > 1) {
            double delta = (1.0 - start) / (ramp - 1);
            for (int i = 0; i < ramp; i++) {
                w[i] = start + i * delta;
            }
            w[ramp - 1] = 1.0;
        }
        for (int i = ramp; i < n; i++) {
            w[i] = 1.0;
        }
        return w;
    }
}

package dev.steeropt.eval.stats;

import java.util.SplittableRandom;
import org.apache.commons.statistics.descriptive.Quantile;

/**
 * Paired bootstrap 95% confidence interval of {@code acc(treated) − acc(baseline)} on the same items.
 *
 * <p>Each resample draws n item indices with replacement from a {@link SplittableRandom} seeded with {@code seed}, and
 * uses the <em>same</em> indices for both arms; the interval is the 2.5th and 97.5th percentile of the resampled
 * differences, with linear interpolation between order statistics (numpy's default {@code percentile} method).
 */
public final class PairedBootstrap {
    /** numpy's default {@code method='linear'} percentile (Hyndman–Fan 7). */
    static final Quantile LINEAR = Quantile.withDefaults().with(Quantile.EstimationMethod.HF7).withCopy(true);

    /** The default number of resamples. */
    public static final int DEFAULT_RESAMPLES = 10_000;

    private PairedBootstrap() {
    }

    /** The interval with {@link #DEFAULT_RESAMPLES} resamples. */
    public static BootstrapInterval accuracyDifference(boolean[] baseline, boolean[] treated, long seed) {
        return accuracyDifference(baseline, treated, DEFAULT_RESAMPLES, seed);
    }

    /**
     * The interval with {@code resamples} resamples.
     *
     * @throws IllegalArgumentException if the arms differ in length, are empty, or {@code resamples < 1}
     */
    public static BootstrapInterval accuracyDifference(boolean[] baseline, boolean[] treated, int resamples,
                                                       long seed) {
        Paired.requireSameLength(baseline, treated);
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
        int n = baseline.length;
        int[] diff = new int[n];
        long observedSum = 0;
        for (int i = 0; i < n; i++) {
            diff[i] = (treated[i] ? 1 : 0) - (baseline[i] ? 1 : 0);
            observedSum += diff[i];
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] stats = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            long sum = 0;
            for (int k = 0; k < n; k++) {
                sum += diff[random.nextInt(n)];
            }
            stats[r] = (double) sum / n;
        }
        double[] bounds = LINEAR.evaluate(stats, 0.025, 0.975);
        return new BootstrapInterval((double) observedSum / n, bounds[0], bounds[1], resamples, seed);
    }
}

package dev.steeropt.eval.stats;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Paired bootstrap 95% confidence interval of {@code acc(treated) − acc(baseline)} on the same items.
 *
 * <p>Each resample draws n item indices with replacement from a {@link SplittableRandom} seeded with {@code seed}, and
 * uses the <em>same</em> indices for both arms; the interval is the 2.5th and 97.5th percentile of the resampled
 * differences, with linear interpolation between order statistics (numpy's default {@code percentile} method).
 */
public final class PairedBootstrap {
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
        Arrays.sort(stats);
        return new BootstrapInterval((double) observedSum / n, percentileOfSorted(stats, 2.5),
                percentileOfSorted(stats, 97.5), resamples, seed);
    }

    /**
     * The {@code q}-th percentile (0..100) of ascending {@code sorted} values, interpolating linearly between the order
     * statistics at rank {@code q/100·(n−1)} (numpy {@code method='linear'}).
     */
    public static double percentileOfSorted(double[] sorted, double q) {
        if (sorted.length == 0 || !(q >= 0 && q <= 100)) {
            throw new IllegalArgumentException("percentile needs values and 0 <= q <= 100, got n=" + sorted.length
                    + ", q=" + q);
        }
        double rank = q / 100.0 * (sorted.length - 1);
        int lo = (int) Math.floor(rank);
        int hi = Math.min(lo + 1, sorted.length - 1);
        return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
    }
}

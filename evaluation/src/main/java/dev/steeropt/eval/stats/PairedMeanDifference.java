package dev.steeropt.eval.stats;

import java.util.SplittableRandom;
import org.apache.commons.statistics.distribution.TDistribution;

/**
 * The paired comparison of a per-item count between two arms on the same items (e.g. generated tokens): the mean of
 * {@code treated − baseline}, a paired two-sided t-test of that mean against 0, and a paired-bootstrap 95% CI drawn
 * exactly as {@link PairedBootstrap} draws its resamples (same indices for both arms, numpy's linear percentile).
 *
 * @param observed  mean of {@code treated[i] − baseline[i]}
 * @param lower     2.5th percentile of the resampled means
 * @param upper     97.5th percentile of the resampled means
 * @param t         the paired t statistic (infinite when every difference is equal and non-zero, NaN when all zero)
 * @param df        degrees of freedom, n − 1
 * @param pValue    two-sided p of the t-test (1 when every difference is zero, 0 when all equal and non-zero)
 * @param resamples bootstrap resamples
 * @param seed      bootstrap seed
 */
public record PairedMeanDifference(double observed, double lower, double upper, double t, int df, double pValue,
        int resamples, long seed) {

    public PairedMeanDifference {
        if (!(lower <= upper)) {
            throw new IllegalArgumentException("need lower <= upper, got [" + lower + ", " + upper + "]");
        }
        if (!(pValue >= 0 && pValue <= 1)) {
            throw new IllegalArgumentException("p must lie in [0, 1], got " + pValue);
        }
    }

    /** The comparison with {@link PairedBootstrap#DEFAULT_RESAMPLES} resamples. */
    public static PairedMeanDifference of(double[] baseline, double[] treated, long seed) {
        return of(baseline, treated, PairedBootstrap.DEFAULT_RESAMPLES, seed);
    }

    /**
     * The comparison with {@code resamples} resamples.
     *
     * @throws IllegalArgumentException if the arms differ in length, have fewer than two items, or resamples < 1
     */
    public static PairedMeanDifference of(double[] baseline, double[] treated, int resamples, long seed) {
        if (baseline.length != treated.length) {
            throw new IllegalArgumentException("paired arms must measure the same items: baseline has "
                    + baseline.length + " items, treated " + treated.length + ". Pass both arms in item order.");
        }
        int n = baseline.length;
        if (n < 2) {
            throw new IllegalArgumentException("a paired t-test needs at least two items, got " + n);
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
        double[] d = new double[n];
        double sum = 0;
        for (int i = 0; i < n; i++) {
            d[i] = treated[i] - baseline[i];
            sum += d[i];
        }
        double mean = sum / n;
        double ss = 0;
        for (double x : d) {
            ss += (x - mean) * (x - mean);
        }
        double se = Math.sqrt(ss / (n - 1) / n);
        double t;
        double p;
        if (se == 0) {
            t = mean == 0 ? Double.NaN : Math.copySign(Double.POSITIVE_INFINITY, mean);
            p = mean == 0 ? 1.0 : 0.0;
        } else {
            t = mean / se;
            p = Math.min(1.0, 2 * TDistribution.of(n - 1).survivalProbability(Math.abs(t)));
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[] stats = new double[resamples];
        for (int r = 0; r < resamples; r++) {
            double s = 0;
            for (int k = 0; k < n; k++) {
                s += d[random.nextInt(n)];
            }
            stats[r] = s / n;
        }
        double[] bounds = PairedBootstrap.LINEAR.evaluate(stats, 0.025, 0.975);
        return new PairedMeanDifference(mean, bounds[0], bounds[1], t, n - 1, p, resamples, seed);
    }
}

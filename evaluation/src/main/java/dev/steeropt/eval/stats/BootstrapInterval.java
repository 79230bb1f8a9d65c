package dev.steeropt.eval.stats;

/**
 * A paired-bootstrap percentile interval of an accuracy difference (treated − baseline).
 *
 * @param observed  the difference on the original items
 * @param lower     2.5th percentile of the resampled differences
 * @param upper     97.5th percentile
 * @param resamples number of bootstrap resamples
 * @param seed      the seed that produced them
 */
public record BootstrapInterval(double observed, double lower, double upper, int resamples, long seed) {
    public BootstrapInterval {
        if (!(lower <= upper) || lower < -1.0 || upper > 1.0) {
            throw new IllegalArgumentException("need -1 <= lower <= upper <= 1, got [" + lower + ", " + upper + "]");
        }
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be >= 1, got " + resamples);
        }
    }

    /** True if the interval excludes zero. */
    public boolean excludesZero() {
        return lower > 0.0 || upper < 0.0;
    }
}

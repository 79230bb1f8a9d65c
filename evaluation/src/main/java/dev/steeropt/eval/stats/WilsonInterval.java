package dev.steeropt.eval.stats;

/**
 * Wilson score interval for a binomial proportion (Wilson 1927).
 *
 * <p>With {@code p̂ = k/n} and normal quantile {@code z}:
 * {@code centre = (p̂ + z²/2n) / (1 + z²/n)}, {@code half = z·sqrt(p̂(1−p̂)/n + z²/4n²) / (1 + z²/n)}, interval
 * {@code [centre − half, centre + half]} clipped to [0, 1].
 *
 * @param lower lower bound in [0, 1]
 * @param upper upper bound in [lower, 1]
 */
public record WilsonInterval(double lower, double upper) {
    /** The two-sided 95% normal quantile z = Φ⁻¹(0.975). */
    public static final double Z95 = 1.959963984540054;

    public WilsonInterval {
        if (!(lower >= 0.0 && upper <= 1.0 && lower <= upper)) {
            throw new IllegalArgumentException("Wilson interval needs 0 <= lower <= upper <= 1, got [" + lower + ", "
                    + upper + "]");
        }
    }

    /** The 95% interval for {@code successes} out of {@code n}. */
    public static WilsonInterval of95(long successes, long n) {
        return of(successes, n, Z95);
    }

    /**
     * The interval for {@code successes} out of {@code n} at normal quantile {@code z}.
     *
     * @throws IllegalArgumentException unless {@code 0 <= successes <= n}, {@code n >= 1} and {@code z > 0}
     */
    public static WilsonInterval of(long successes, long n, double z) {
        if (n < 1 || successes < 0 || successes > n) {
            throw new IllegalArgumentException("Wilson interval needs 0 <= successes <= n and n >= 1, got successes="
                    + successes + ", n=" + n);
        }
        if (!(z > 0) || Double.isInfinite(z)) {
            throw new IllegalArgumentException("z must be positive and finite, got " + z);
        }
        double p = (double) successes / n;
        double z2 = z * z;
        double denom = 1 + z2 / n;
        double centre = (p + z2 / (2.0 * n)) / denom;
        double half = z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denom;
        return new WilsonInterval(Math.max(0.0, centre - half), Math.min(1.0, centre + half));
    }
}

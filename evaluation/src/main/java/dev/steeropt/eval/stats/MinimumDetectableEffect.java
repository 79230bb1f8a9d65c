package dev.steeropt.eval.stats;

import java.util.OptionalDouble;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Minimum detectable accuracy difference for a paired (McNemar) comparison of two arms on n items, at two-sided
 * α = 0.05 and power 0.8.
 *
 * <p>Formula (Connor 1987, the normal approximation for McNemar's test): with discordance rate
 * {@code ψ = P(arms disagree on an item)} and the effect {@code δ = p₀₁ − p₁₀} (the accuracy difference), the number
 * of items needed is
 * <pre>
 *   n = ( z₁₋α/₂ · √ψ + z₁₋β · √(ψ − δ²) )² / δ²
 * </pre>
 * This class inverts it: the MDE is the δ in (0, ψ] that solves it for the given n (the right side decreases in δ, so
 * bisection finds the unique root). Since |δ| can never exceed ψ, no effect is detectable when even δ = ψ needs more
 * than n items; the result is then empty.
 */
public final class MinimumDetectableEffect {
    /** Two-sided significance level. */
    public static final double ALPHA = 0.05;
    /** Power. */
    public static final double POWER = 0.8;
    /** z for two-sided α: the standard normal quantile at 1 − α/2. */
    public static final double Z_ALPHA = NormalDistribution.of(0, 1).inverseCumulativeProbability(1 - ALPHA / 2);
    /** z for the power: the standard normal quantile at the power. */
    public static final double Z_POWER = NormalDistribution.of(0, 1).inverseCumulativeProbability(POWER);

    private MinimumDetectableEffect() {
    }

    /** Items needed to detect {@code delta} at discordance {@code psi} (the formula above, not rounded). */
    public static double requiredItems(double delta, double psi) {
        if (!(psi > 0 && psi <= 1) || !(delta > 0 && delta <= psi)) {
            throw new IllegalArgumentException("need 0 < delta <= psi <= 1, got delta=" + delta + ", psi=" + psi);
        }
        double root = Z_ALPHA * Math.sqrt(psi) + Z_POWER * Math.sqrt(psi - delta * delta);
        return root * root / (delta * delta);
    }

    /**
     * The minimum detectable difference for {@code n} paired items with discordance rate {@code psi}.
     *
     * @param n   number of items, at least 1
     * @param psi expected fraction of items on which the arms disagree, in (0, 1] (e.g. from a validation run)
     * @return δ, or empty when no difference up to ψ is detectable with n items
     */
    public static OptionalDouble paired(int n, double psi) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be >= 1, got " + n);
        }
        if (!(psi > 0 && psi <= 1)) {
            throw new IllegalArgumentException("discordance rate must be in (0, 1], got " + psi
                    + "; with no discordant pairs there is nothing to detect.");
        }
        if (requiredItems(psi, psi) > n) {
            return OptionalDouble.empty();
        }
        double lo = 0.0;   // requiredItems -> infinity as delta -> 0
        double hi = psi;   // requiredItems(hi) <= n
        for (int i = 0; i < 200 && hi - lo > 1e-15; i++) {
            double mid = 0.5 * (lo + hi);
            if (requiredItems(mid, psi) > n) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return OptionalDouble.of(hi);
    }

    /** The MDE using the discordance rate observed between two graded arms. */
    public static OptionalDouble observed(boolean[] baseline, boolean[] treated) {
        Paired.requireSameLength(baseline, treated);
        int discordant = 0;
        for (int i = 0; i < baseline.length; i++) {
            discordant += baseline[i] != treated[i] ? 1 : 0;
        }
        if (discordant == 0) {
            throw new IllegalArgumentException("the arms agree on every item, so the discordance rate is 0 and no "
                    + "minimum detectable effect exists; pass an expected rate to paired(n, psi) instead.");
        }
        return paired(baseline.length, (double) discordant / baseline.length);
    }
}

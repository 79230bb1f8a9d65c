package dev.steeropt.eval.stats;

import org.apache.commons.statistics.distribution.BinomialDistribution;

/**
 * Exact (binomial) McNemar test on the discordant pairs of two arms graded on the same items.
 *
 * <p>With {@code b} = baseline right and treated wrong, {@code c} = baseline wrong and treated right, under H0
 * {@code c ~ Binomial(b + c, 1/2)}; the two-sided p-value is {@code min(1, 2·P[X ≤ min(b, c)])}, the same as
 * statsmodels {@code mcnemar(table, exact=True)}. No discordant pairs gives p = 1.
 */
public final class ExactMcNemar {
    private ExactMcNemar() {
    }

    /**
     * Tests per-item correctness of a baseline against a treated arm.
     *
     * @throws IllegalArgumentException if the arms differ in length or are empty
     */
    public static McNemarResult test(boolean[] baseline, boolean[] treated) {
        Paired.requireSameLength(baseline, treated);
        int b = 0;
        int c = 0;
        for (int i = 0; i < baseline.length; i++) {
            if (baseline[i] && !treated[i]) {
                b++;
            } else if (!baseline[i] && treated[i]) {
                c++;
            }
        }
        return fromDiscordant(b, c);
    }

    /** The test from the discordant counts directly. */
    public static McNemarResult fromDiscordant(int b, int c) {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("discordant counts must be >= 0, got b=" + b + ", c=" + c);
        }
        int n = b + c;
        if (n == 0) {
            return new McNemarResult(b, c, 1.0);
        }
        double tail = BinomialDistribution.of(n, 0.5).cumulativeProbability(Math.min(b, c));
        return new McNemarResult(b, c, Math.min(1.0, 2.0 * tail));
    }
}

package dev.steeropt.eval.stats;

/**
 * Exact McNemar test result for two paired arms.
 *
 * @param b      baseline right and treated wrong
 * @param c      baseline wrong and treated right
 * @param pValue two-sided exact p-value in (0, 1]
 */
public record McNemarResult(int b, int c, double pValue) {
    public McNemarResult {
        if (b < 0 || c < 0) {
            throw new IllegalArgumentException("discordant counts must be >= 0, got b=" + b + ", c=" + c);
        }
        if (!(pValue > 0.0 && pValue <= 1.0)) {
            throw new IllegalArgumentException("p-value must be in (0, 1], got " + pValue);
        }
    }

    /** Number of discordant pairs, b + c. */
    public int discordant() {
        return b + c;
    }
}

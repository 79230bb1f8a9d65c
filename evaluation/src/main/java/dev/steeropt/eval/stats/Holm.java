package dev.steeropt.eval.stats;

/**
 * Holm's step-down adjustment of a family of p-values (family-wise error control, no independence assumed): sorted
 * ascending, the i-th smallest (0-based) is multiplied by {@code m − i}, made non-decreasing along the order, and
 * capped at 1. Returned in the input order.
 */
public final class Holm {
    private Holm() {
    }

    /**
     * The adjusted p-values.
     *
     * @throws IllegalArgumentException if a p-value is outside [0, 1] or NaN
     */
    public static double[] adjust(double[] p) {
        int m = p.length;
        Integer[] order = new Integer[m];
        for (int i = 0; i < m; i++) {
            if (!(p[i] >= 0 && p[i] <= 1)) {
                throw new IllegalArgumentException("p-value " + i + " is " + p[i] + ", outside [0, 1]");
            }
            order[i] = i;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double[] out = new double[m];
        double running = 0;
        for (int r = 0; r < m; r++) {
            int i = order[r];
            running = Math.max(running, Math.min(1.0, (m - r) * p[i]));
            out[i] = running;
        }
        return out;
    }
}

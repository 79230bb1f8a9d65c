package dev.steeropt.eval.stats;

import java.util.Arrays;
import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * The one-sided Mann-Whitney U test that sample {@code x} tends to be smaller than sample {@code y}
 * ({@code alternative='less'} in scipy's {@code mannwhitneyu}). U is the count of pairs with x below y's rank, i.e.
 * {@code U_x = R_x − n_x(n_x+1)/2} from midranks. Without ties and with both samples of at most
 * {@value #EXACT_LIMIT} values the p-value is exact (the permutation distribution of U, counted); otherwise the normal
 * approximation with the tie correction of the variance and a continuity correction of 0.5, as scipy's
 * {@code method='asymptotic'}.
 *
 * @param u      U of {@code x}
 * @param pValue one-sided p of "x is stochastically smaller than y"
 * @param exact  whether the p-value is the exact one
 */
public record MannWhitney(double u, double pValue, boolean exact) {
    /** Largest sample size for the exact distribution. */
    public static final int EXACT_LIMIT = 50;

    /** Tests whether {@code x} is stochastically smaller than {@code y}. */
    public static MannWhitney less(double[] x, double[] y) {
        int n1 = x.length;
        int n2 = y.length;
        if (n1 == 0 || n2 == 0) {
            throw new IllegalArgumentException("both samples need values, got " + n1 + " and " + n2);
        }
        int n = n1 + n2;
        double[] all = new double[n];
        System.arraycopy(x, 0, all, 0, n1);
        System.arraycopy(y, 0, all, n1, n2);
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            if (Double.isNaN(all[i])) {
                throw new IllegalArgumentException("value " + i + " is NaN");
            }
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Double.compare(all[a], all[b]));
        double[] rank = new double[n];
        double tieTerm = 0;
        boolean ties = false;
        for (int i = 0; i < n; ) {
            int j = i;
            while (j + 1 < n && all[order[j + 1]] == all[order[i]]) {
                j++;
            }
            double mid = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                rank[order[k]] = mid;
            }
            int t = j - i + 1;
            if (t > 1) {
                ties = true;
                tieTerm += (double) t * t * t - t;
            }
            i = j + 1;
        }
        double r1 = 0;
        for (int i = 0; i < n1; i++) {
            r1 += rank[i];
        }
        double u = r1 - n1 * (n1 + 1) / 2.0;
        if (!ties && n1 <= EXACT_LIMIT && n2 <= EXACT_LIMIT) {
            return new MannWhitney(u, exactCdf((int) Math.round(u), n1, n2), true);
        }
        double mu = n1 * (double) n2 / 2;
        double var = n1 * (double) n2 / 12 * ((n + 1) - tieTerm / ((double) n * (n - 1)));
        double z = (u - mu + 0.5) / Math.sqrt(var);
        return new MannWhitney(u, NormalDistribution.of(0, 1).cumulativeProbability(z), false);
    }

    /** P(U <= u) under the null: the share of the C(n1+n2, n1) rank orders with U at most u. */
    static double exactCdf(int u, int n1, int n2) {
        // count[i][j][k]: orders of i x-values and j y-values with U = k, filled by the last value's sample
        int max = n1 * n2;
        double[][] prev = new double[n1 + 1][];
        double[][] row = null;
        for (int j = 0; j <= n2; j++) {
            row = new double[n1 + 1][];
            for (int i = 0; i <= n1; i++) {
                double[] c = new double[max + 1];
                if (i == 0 || j == 0) {
                    c[0] = 1;
                } else {
                    // last value from x: it lies above all j y-values, adding j to U
                    for (int k = j; k <= max; k++) {
                        c[k] += row[i - 1][k - j];
                    }
                    // last value from y: U unchanged
                    for (int k = 0; k <= max; k++) {
                        c[k] += prev[i][k];
                    }
                }
                row[i] = c;
            }
            prev = row;
        }
        double[] dist = row[n1];
        double total = 0;
        double below = 0;
        for (int k = 0; k <= max; k++) {
            total += dist[k];
            if (k <= u) {
                below += dist[k];
            }
        }
        return below / total;
    }
}

package dev.steeropt.studies.analysis.probes;

import java.util.Arrays;

/** Area under the ROC curve by the Mann-Whitney U statistic, ties counted half (average ranks). */
public final class Auc {
    private Auc() {}

    /**
     * {@code AUC = (R₁ − n₁(n₁+1)/2) / (n₁·n₀)} where R₁ is the sum of the positives' ranks among all scores (tied
     * scores share their average rank). Equals the probability that a random positive scores above a random negative,
     * plus half the probability of a tie.
     *
     * @param scores higher = more likely positive
     * @param labels 1 positive, 0 negative
     * @throws IllegalArgumentException if either class is absent, a label is not 0/1 or a score is NaN
     */
    public static double mannWhitney(double[] scores, int[] labels) {
        if (scores.length != labels.length) {
            throw new IllegalArgumentException(scores.length + " scores but " + labels.length + " labels");
        }
        int n = scores.length;
        Integer[] order = new Integer[n];
        long pos = 0;
        for (int i = 0; i < n; i++) {
            order[i] = i;
            if (labels[i] != 0 && labels[i] != 1) {
                throw new IllegalArgumentException("label " + i + " is " + labels[i] + "; AUC needs 0/1 labels");
            }
            if (Double.isNaN(scores[i])) {
                throw new IllegalArgumentException("score " + i + " is NaN");
            }
            pos += labels[i];
        }
        long neg = n - pos;
        if (pos == 0 || neg == 0) {
            throw new IllegalArgumentException("AUC needs both classes; got " + pos + " positive and " + neg + " negative");
        }
        Arrays.sort(order, (a, b) -> Double.compare(scores[a], scores[b]));
        double rankSum = 0;
        int i = 0;
        while (i < n) {
            int j = i;
            while (j + 1 < n && scores[order[j + 1]] == scores[order[i]]) {
                j++;
            }
            double avgRank = (i + j) / 2.0 + 1; // ranks are 1-based
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    rankSum += avgRank;
                }
            }
            i = j + 1;
        }
        return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
    }

    /**
     * Macro-averaged one-vs-rest AUC over {@code k} classes: the mean over classes c of {@link #mannWhitney} of the
     * posterior of c against "label is c". For two classes this is the binary AUC.
     *
     * @param posteriors {@code [example][k]}
     * @param labels     class index per example, 0..k−1, every class present
     */
    public static double macroOneVsRest(double[][] posteriors, int[] labels, int k) {
        if (k == 2) {
            double[] s = new double[labels.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = posteriors[i][1];
            }
            return mannWhitney(s, labels);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double[] s = new double[labels.length];
            int[] y = new int[labels.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = posteriors[i][c];
                y[i] = labels[i] == c ? 1 : 0;
            }
            sum += mannWhitney(s, y);
        }
        return sum / k;
    }
}

package dev.steeropt.optimizer.importance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A CART regression tree grown as scikit-learn's {@code DecisionTreeRegressor} with the settings of Optuna's fANOVA
 * forest: squared-error criterion, the best split over every feature (visited in random order, so the first of
 * equally good splits depends on the seed), thresholds halfway between neighbouring values, at least one sample per
 * leaf, and a node splits only if it holds two or more distinct samples with non-zero impurity.
 *
 * <p>Samples carry integer weights (bootstrap multiplicities); nodes are numbered parent before child. Immutable
 * once grown.
 */
final class RegressionTree {
    /** scikit-learn's FEATURE_THRESHOLD: values closer than this are not split apart. */
    private static final double FEATURE_THRESHOLD = 1e-7;
    private static final double EPSILON = Math.ulp(1.0);

    /** Split feature per node, -1 for a leaf. */
    final int[] feature;
    final double[] threshold;
    final int[] left;
    final int[] right;
    /** Weighted mean of the node's targets. */
    final double[] value;

    private RegressionTree(int[] feature, double[] threshold, int[] left, int[] right, double[] value) {
        this.feature = feature;
        this.threshold = threshold;
        this.left = left;
        this.right = right;
        this.value = value;
    }

    int nodeCount() {
        return feature.length;
    }

    /**
     * Grows a tree on the samples with non-zero {@code weights}.
     *
     * @param x        [n_samples][n_features]
     * @param maxDepth depth limit (the root has depth 0)
     */
    static RegressionTree grow(double[][] x, double[] y, int[] weights, int maxDepth, RandomGenerator rng) {
        Builder b = new Builder(x, y, weights, maxDepth, rng);
        int[] samples = java.util.stream.IntStream.range(0, y.length).filter(i -> weights[i] > 0).toArray();
        b.build(samples, 0);
        return b.finish();
    }

    private static final class Builder {
        private final double[][] x;
        private final double[] y;
        private final int[] w;
        private final int maxDepth;
        private final RandomGenerator rng;
        private final int nFeatures;
        private final List<int[]> links = new ArrayList<>();      // {feature, left, right}
        private final List<double[]> stats = new ArrayList<>();   // {threshold, value}

        Builder(double[][] x, double[] y, int[] w, int maxDepth, RandomGenerator rng) {
            this.x = x;
            this.y = y;
            this.w = w;
            this.maxDepth = maxDepth;
            this.rng = rng;
            this.nFeatures = x.length == 0 ? 0 : x[0].length;
        }

        /** Adds the node for {@code samples} and its subtree; returns its id. */
        int build(int[] samples, int depth) {
            double wSum = 0.0;
            double sum = 0.0;
            double sumSq = 0.0;
            for (int i : samples) {
                wSum += w[i];
                sum += w[i] * y[i];
                sumSq += w[i] * y[i] * y[i];
            }
            double mean = sum / wSum;
            double impurity = sumSq / wSum - mean * mean;
            int id = links.size();
            links.add(new int[] {-1, -1, -1});
            stats.add(new double[] {Double.NaN, mean});
            if (depth >= maxDepth || samples.length < 2 || impurity <= EPSILON) {
                return id;
            }
            Split best = bestSplit(samples, sum, wSum);
            if (best == null) {
                return id;
            }
            int[] leftSamples = Arrays.stream(samples).filter(i -> x[i][best.feature] <= best.threshold).toArray();
            int[] rightSamples = Arrays.stream(samples).filter(i -> x[i][best.feature] > best.threshold).toArray();
            int l = build(leftSamples, depth + 1);
            int r = build(rightSamples, depth + 1);
            links.set(id, new int[] {best.feature, l, r});
            stats.get(id)[0] = best.threshold;
            return id;
        }

        private record Split(int feature, double threshold, double proxy) {}

        private Split bestSplit(int[] samples, double sum, double wSum) {
            int[] order = new int[nFeatures];
            for (int f = 0; f < nFeatures; f++) {
                order[f] = f;
            }
            for (int i = nFeatures - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            Split best = null;
            Integer[] sorted = new Integer[samples.length];
            for (int f : order) {
                for (int k = 0; k < samples.length; k++) {
                    sorted[k] = samples[k];
                }
                final int feat = f;
                Arrays.sort(sorted, (a, b) -> Double.compare(x[a][feat], x[b][feat]));
                if (x[sorted[sorted.length - 1]][f] <= x[sorted[0]][f] + FEATURE_THRESHOLD) {
                    continue;   // constant in this node
                }
                double lSum = 0.0;
                double lW = 0.0;
                for (int p = 1; p < sorted.length; p++) {
                    int prev = sorted[p - 1];
                    lSum += w[prev] * y[prev];
                    lW += w[prev];
                    double xPrev = x[prev][f];
                    double xNext = x[sorted[p]][f];
                    if (xNext <= xPrev + FEATURE_THRESHOLD) {
                        continue;
                    }
                    double rSum = sum - lSum;
                    double rW = wSum - lW;
                    double proxy = lSum * lSum / lW + rSum * rSum / rW;
                    if (best == null || proxy > best.proxy) {
                        double t = xPrev / 2.0 + xNext / 2.0;
                        if (t == xNext || Double.isInfinite(t)) {
                            t = xPrev;
                        }
                        best = new Split(f, t, proxy);
                    }
                }
            }
            return best;
        }

        RegressionTree finish() {
            int n = links.size();
            int[] feature = new int[n];
            int[] left = new int[n];
            int[] right = new int[n];
            double[] threshold = new double[n];
            double[] value = new double[n];
            for (int i = 0; i < n; i++) {
                feature[i] = links.get(i)[0];
                left[i] = links.get(i)[1];
                right[i] = links.get(i)[2];
                threshold[i] = stats.get(i)[0];
                value[i] = stats.get(i)[1];
            }
            return new RegressionTree(feature, threshold, left, right, value);
        }
    }
}

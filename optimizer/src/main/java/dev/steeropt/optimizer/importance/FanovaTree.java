package dev.steeropt.optimizer.importance;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/**
 * The functional ANOVA of one regression tree (Hutter et al., ICML 2014, in the form of Optuna's {@code _FanovaTree}):
 * the tree is a piecewise-constant function over the box {@code bounds}; its total variance is the variance of the
 * leaf values weighted by leaf volume, and the variance explained by a set of features is the variance, over the
 * cells their split points make, of the prediction averaged over every other feature.
 */
final class FanovaTree {
    private final RegressionTree tree;
    private final double[][] bounds;
    /** Per node: volume-weighted mean prediction over its box, and the box's volume. */
    private final double[] meanValue;
    private final double[] volume;
    private final double[][] midpoints;
    private final double[][] sizes;
    /** Per node and feature: whether the subtree below splits on the feature. */
    private final boolean[][] subtreeSplits;
    private final double variance;

    FanovaTree(RegressionTree tree, double[][] bounds) {
        this.tree = tree;
        this.bounds = bounds;
        int n = tree.nodeCount();
        int d = bounds.length;
        meanValue = new double[n];
        volume = new double[n];
        double[][][] boxes = new double[n][][];
        boxes[0] = copy(bounds);
        for (int i = 0; i < n; i++) {           // parents come before children
            if (isLeaf(i)) {
                meanValue[i] = tree.value[i];
                volume[i] = volumeOf(boxes[i]);
            } else {
                boxes[tree.left[i]] = narrowed(boxes[i], tree.feature[i], tree.threshold[i], true);
                boxes[tree.right[i]] = narrowed(boxes[i], tree.feature[i], tree.threshold[i], false);
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            if (!isLeaf(i)) {
                int l = tree.left[i];
                int r = tree.right[i];
                volume[i] = volume[l] + volume[r];
                meanValue[i] = (meanValue[l] * volume[l] + meanValue[r] * volume[r]) / volume[i];
            }
        }
        subtreeSplits = new boolean[n][d];
        for (int i = n - 1; i >= 0; i--) {
            if (!isLeaf(i)) {
                subtreeSplits[i][tree.feature[i]] = true;
                for (int f = 0; f < d; f++) {
                    subtreeSplits[i][f] |= subtreeSplits[tree.left[i]][f] || subtreeSplits[tree.right[i]][f];
                }
            }
        }
        midpoints = new double[d][];
        sizes = new double[d][];
        List<TreeSet<Double>> splitValues = new ArrayList<>();
        for (int f = 0; f < d; f++) {
            splitValues.add(new TreeSet<>());
        }
        for (int i = 0; i < n; i++) {
            if (!isLeaf(i)) {
                splitValues.get(tree.feature[i]).add(tree.threshold[i]);
            }
        }
        for (int f = 0; f < d; f++) {
            double[] edges = new double[splitValues.get(f).size() + 2];
            edges[0] = bounds[f][0];
            int k = 1;
            for (double v : splitValues.get(f)) {
                edges[k++] = v;
            }
            edges[k] = bounds[f][1];
            midpoints[f] = new double[edges.length - 1];
            sizes[f] = new double[edges.length - 1];
            for (int j = 0; j + 1 < edges.length; j++) {
                midpoints[f][j] = 0.5 * (edges[j + 1] + edges[j]);
                sizes[f][j] = edges[j + 1] - edges[j];
            }
        }
        double wSum = 0.0;
        double vSum = 0.0;
        for (int i = 0; i < n; i++) {
            if (isLeaf(i)) {
                wSum += volume[i];
                vSum += volume[i] * tree.value[i];
            }
        }
        double mean = vSum / wSum;
        double var = 0.0;
        for (int i = 0; i < n; i++) {
            if (isLeaf(i)) {
                var += volume[i] * (tree.value[i] - mean) * (tree.value[i] - mean);
            }
        }
        variance = var / wSum;
    }

    /** The tree's total variance over the box. */
    double variance() {
        return variance;
    }

    /** The variance explained by {@code features} jointly (their cells weighted by volume). */
    double marginalVariance(int[] features) {
        int[] index = new int[features.length];
        double[] sample = new double[bounds.length];
        List<double[]> valueWeight = new ArrayList<>();
        while (true) {
            java.util.Arrays.fill(sample, Double.NaN);
            double cellSize = 1.0;
            for (int j = 0; j < features.length; j++) {
                sample[features[j]] = midpoints[features[j]][index[j]];
                cellSize *= sizes[features[j]][index[j]];
            }
            double[] vw = marginalised(sample);
            valueWeight.add(new double[] {vw[0], vw[1] * cellSize});
            int j = features.length - 1;
            while (j >= 0 && ++index[j] == midpoints[features[j]].length) {
                index[j] = 0;
                j--;
            }
            if (j < 0) {
                break;
            }
        }
        double wSum = 0.0;
        double vSum = 0.0;
        for (double[] vw : valueWeight) {
            wSum += vw[1];
            vSum += vw[0] * vw[1];
        }
        double mean = vSum / wSum;
        double var = 0.0;
        for (double[] vw : valueWeight) {
            var += vw[1] * (vw[0] - mean) * (vw[0] - mean);
        }
        return var / wSum;
    }

    /** The prediction at the point {@code sample} averaged over its NaN coordinates, and the weight of that point. */
    private double[] marginalised(double[] sample) {
        int d = bounds.length;
        boolean[] active = new boolean[d];
        double[][] box = copy(bounds);
        for (int f = 0; f < d; f++) {
            active[f] = !Double.isNaN(sample[f]);
            if (!active[f]) {
                box[f][0] = 0.0;
                box[f][1] = 1.0;
            }
        }
        Deque<Integer> nodes = new ArrayDeque<>();
        Deque<double[][]> boxes = new ArrayDeque<>();
        nodes.push(0);
        boxes.push(box);
        double wSum = 0.0;
        double vSum = 0.0;
        while (!nodes.isEmpty()) {
            int node = nodes.pop();
            double[][] b = boxes.pop();
            if (!isLeaf(node)) {
                int f = tree.feature[node];
                if (active[f]) {
                    boolean goLeft = sample[f] <= tree.threshold[node];
                    nodes.push(goLeft ? tree.left[node] : tree.right[node]);
                    boxes.push(narrowed(b, f, tree.threshold[node], goLeft));
                    continue;
                }
                boolean below = false;
                for (int g = 0; g < d && !below; g++) {
                    below = active[g] && subtreeSplits[node][g];
                }
                if (below) {
                    nodes.push(tree.left[node]);
                    boxes.push(b);
                    nodes.push(tree.right[node]);
                    boxes.push(b);
                    continue;
                }
            }
            double weight = volume[node] / volumeOf(b);
            wSum += weight;
            vSum += weight * meanValue[node];
        }
        return new double[] {vSum / wSum, wSum};
    }

    private boolean isLeaf(int node) {
        return tree.feature[node] < 0;
    }

    private static double volumeOf(double[][] box) {
        double v = 1.0;
        for (double[] side : box) {
            v *= side[1] - side[0];
        }
        return v;
    }

    private static double[][] narrowed(double[][] box, int feature, double threshold, boolean left) {
        double[][] out = copy(box);
        out[feature][left ? 1 : 0] = threshold;
        return out;
    }

    private static double[][] copy(double[][] box) {
        double[][] out = new double[box.length][];
        for (int i = 0; i < box.length; i++) {
            out[i] = box[i].clone();
        }
        return out;
    }
}

package dev.steeropt.optimizer.importance;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.samplers.IntersectionSearchSpace;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * fANOVA importance (Hutter et al., ICML 2014; Optuna 4's default evaluator): a random forest predicts the
 * objective from the parameters, and a parameter's importance is the mean, over the trees, of the share of the
 * tree's variance that the parameter explains alone. Parameters are the ones every COMPLETE trial has with the same
 * distribution; floats and ints enter the forest as their raw values on {@code [low, high]}, categoricals one-hot
 * on {@code [0, 1]} per choice. Single-valued parameters get 0. The direction does not matter (a variance).
 *
 * <p>The forest is our own (scikit-learn is not available in Java): bootstrap samples of the trials and CART trees
 * as {@link RegressionTree}. Its randomness differs from scikit-learn's, so values agree with Optuna's
 * statistically, not to the digit. Immutable; each call grows a fresh forest from the seed.
 */
public final class FanovaImportanceEvaluator implements ImportanceEvaluator {
    private final int nTrees;
    private final int maxDepth;
    private final long seed;

    private FanovaImportanceEvaluator(Builder b) {
        this.nTrees = b.nTrees;
        this.maxDepth = b.maxDepth;
        this.seed = b.seed;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Settings of the forest. */
    public static final class Builder {
        private int nTrees = 64;
        private int maxDepth = 64;
        private long seed = 0;

        private Builder() {}

        /** Number of trees; default 64 (Optuna's); below 1 throws. */
        public Builder nTrees(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("fANOVA needs at least one tree, got nTrees=" + n);
            }
            this.nTrees = n;
            return this;
        }

        /** Depth limit of each tree; default 64 (Optuna's); below 1 throws. */
        public Builder maxDepth(int d) {
            if (d < 1) {
                throw new IllegalArgumentException("fANOVA trees need maxDepth >= 1, got " + d);
            }
            this.maxDepth = d;
            return this;
        }

        /** Seed of the bootstrap samples and feature orders; default 0. */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public FanovaImportanceEvaluator build() {
            return new FanovaImportanceEvaluator(this);
        }
    }

    @Override
    public Map<String, Double> evaluate(List<FrozenTrial> allTrials, StudyDirection direction) {
        List<FrozenTrial> complete = ParamImportances.usable(allTrials);
        Map<String, Distribution> space = IntersectionSearchSpace.of(complete);
        Map<String, Double> out = new LinkedHashMap<>();
        Map<String, Distribution> varying = new LinkedHashMap<>();
        space.forEach((name, d) -> {
            if (d.isSingle()) {
                out.put(name, 0.0);
            } else {
                varying.put(name, d);
            }
        });
        if (varying.isEmpty() || complete.size() <= 1) {
            space.keySet().forEach(k -> out.put(k, 0.0));
            return ParamImportances.sortedByImportance(out);
        }
        List<double[]> boundList = new ArrayList<>();
        List<int[]> columnsOf = new ArrayList<>();
        for (Distribution d : varying.values()) {
            int first = boundList.size();
            if (d instanceof CategoricalDistribution c) {
                for (int k = 0; k < c.choices().size(); k++) {
                    boundList.add(new double[] {0.0, 1.0});
                }
            } else if (d instanceof IntDistribution i) {
                boundList.add(new double[] {i.low(), i.high()});
            } else {
                FloatDistribution f = (FloatDistribution) d;
                boundList.add(new double[] {f.low(), f.high()});
            }
            columnsOf.add(java.util.stream.IntStream.range(first, boundList.size()).toArray());
        }
        double[][] bounds = boundList.toArray(new double[0][]);
        int n = complete.size();
        double[][] x = new double[n][bounds.length];
        double[] y = new double[n];
        for (int t = 0; t < n; t++) {
            FrozenTrial trial = complete.get(t);
            int p = 0;
            for (Map.Entry<String, Distribution> e : varying.entrySet()) {
                int[] cols = columnsOf.get(p++);
                if (e.getValue() instanceof CategoricalDistribution c) {
                    x[t][cols[(int) c.toInternal(trial.params().get(e.getKey()))]] = 1.0;
                } else {
                    x[t][cols[0]] = ((Number) trial.params().get(e.getKey())).doubleValue();
                }
            }
            y[t] = trial.value();
        }
        List<FanovaTree> trees = growForest(x, y, bounds);
        if (trees.stream().allMatch(tr -> tr.variance() == 0.0)) {
            throw new IllegalStateException("fANOVA: every tree of the forest has zero variance (the "
                    + n + " usable trials do not vary enough to assess importances)");
        }
        int p = 0;
        for (String name : varying.keySet()) {
            int[] cols = columnsOf.get(p++);
            double sum = 0.0;
            int count = 0;
            for (FanovaTree tr : trees) {
                if (tr.variance() > 0.0) {
                    sum += Math.max(0.0, tr.marginalVariance(cols)) / tr.variance();
                    count++;
                }
            }
            out.put(name, sum / count);
        }
        return ParamImportances.sortedByImportance(out);
    }

    private List<FanovaTree> growForest(double[][] x, double[] y, double[][] bounds) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<FanovaTree> trees = new ArrayList<>(nTrees);
        for (int k = 0; k < nTrees; k++) {
            SplittableRandom treeRng = rng.split();
            int[] weights = new int[y.length];
            for (int i = 0; i < y.length; i++) {
                weights[treeRng.nextInt(y.length)]++;
            }
            trees.add(new FanovaTree(RegressionTree.grow(x, y, weights, maxDepth, treeRng), bounds));
        }
        return trees;
    }
}

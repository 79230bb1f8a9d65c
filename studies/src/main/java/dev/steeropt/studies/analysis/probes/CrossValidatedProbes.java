package dev.steeropt.studies.analysis.probes;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import dev.steeropt.eval.stats.Accuracy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import smile.classification.LogisticRegression;

/**
 * One L2-regularised logistic regression (Smile; binomial for two classes, multinomial for more) per layer, scored by
 * k-fold cross-validation on class-balanced data: every class is first down-sampled to the smallest one's count
 * (seeded), then each group is put in one fold (round-robin over the groups in class order, shuffled within a class,
 * so folds are stratified when each group is one example). Each fold's features are standardised with the training
 * folds' mean and standard deviation. Accuracy (argmax of the out-of-fold posteriors) carries its Wilson 95% interval;
 * AUC is {@link Auc#macroOneVsRest} of the out-of-fold posteriors.
 */
public final class CrossValidatedProbes {
    /** Default folds. */
    public static final int DEFAULT_FOLDS = 5;
    /** Default L2 penalty. */
    public static final double DEFAULT_LAMBDA = 1.0;

    private CrossValidatedProbes() {}

    /**
     * @param folds   cross-validation folds (≥ 2)
     * @param lambda  L2 penalty (≥ 0)
     * @param seed    for the down-sampling and the fold assignment
     * @param balance down-sample every class to the smallest one (reported either way)
     */
    public record Options(int folds, double lambda, long seed, boolean balance) {
        public Options {
            if (folds < 2) {
                throw new IllegalArgumentException("cross-validation needs at least 2 folds, got " + folds);
            }
            if (!(lambda >= 0)) {
                throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
            }
        }

        /** 5 folds, λ = 1, balanced. */
        public static Options defaults(long seed) {
            return new Options(DEFAULT_FOLDS, DEFAULT_LAMBDA, seed, true);
        }
    }

    /** Examples per class before and after down-sampling. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Balance(Map<String, Integer> before, Map<String, Integer> after) {}

    /**
     * One layer's cross-validated probe.
     *
     * @param accuracy      out-of-fold accuracy
     * @param ciLow         Wilson 95% lower bound
     * @param ciHigh        Wilson 95% upper bound
     * @param correct       out-of-fold correct predictions
     * @param n             examples scored (after balancing)
     * @param auc           out-of-fold AUC (macro one-vs-rest for more than two classes)
     * @param trainAccuracy mean accuracy on the training folds
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record LayerResult(int layer, double accuracy, double ciLow, double ciHigh, int correct, int n, double auc,
            double trainAccuracy) {}

    /** Every layer's result, with the balance they were computed on. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    public record Curve(Balance balance, List<LayerResult> layers) {
        public Curve {
            layers = List.copyOf(layers);
        }

        /** The first layer (ascending) whose accuracy exceeds {@code threshold}, or null. */
        public Integer firstLayerAbove(double threshold) {
            return layers.stream().filter(r -> r.accuracy() > threshold).map(LayerResult::layer).findFirst().orElse(null);
        }

        /** The k layers with the highest AUC (ties: higher accuracy, then the lower layer), ascending. */
        public List<Integer> topLayersByAuc(int k) {
            if (k < 1) {
                throw new IllegalArgumentException("k must be >= 1, got " + k);
            }
            List<LayerResult> sorted = new ArrayList<>(layers);
            sorted.sort(java.util.Comparator.comparingDouble(LayerResult::auc).reversed()
                    .thenComparing(java.util.Comparator.comparingDouble(LayerResult::accuracy).reversed())
                    .thenComparingInt(LayerResult::layer));
            List<Integer> out = new ArrayList<>(sorted.subList(0, Math.min(k, sorted.size())).stream().map(LayerResult::layer).toList());
            Collections.sort(out);
            return out;
        }
    }

    /**
     * Fits and scores every layer of {@code set}.
     *
     * @throws IllegalArgumentException if a class is absent or, after balancing, has fewer examples than folds (each
     *                                  training fold must see every class)
     */
    public static Curve fit(ProbeSet set, Options o) {
        Map<String, Integer> before = set.classCounts();
        ProbeSet data = o.balance() ? balanced(set, o.seed()) : set;
        Map<String, Integer> after = data.classCounts();
        for (Map.Entry<String, Integer> e : after.entrySet()) {
            if (e.getValue() < o.folds()) {
                String smallest = before.entrySet().stream().min(Map.Entry.comparingByValue()).orElseThrow().getKey();
                throw new IllegalArgumentException("class '" + smallest + "' has " + before.get(smallest) + " examples (counts "
                        + before + "); " + o.folds() + "-fold cross-validation needs at least " + o.folds() + " per class");
            }
        }
        int[] fold = folds(data, o.folds(), o.seed());
        int[] y = data.labels();
        int k = data.classes().size();
        List<LayerResult> results = new ArrayList<>();
        for (Map.Entry<Integer, float[][]> e : data.layers().entrySet()) {
            float[][] x = e.getValue();
            double[][] post = new double[y.length][k];
            double trainAcc = 0;
            for (int f = 0; f < o.folds(); f++) {
                List<Integer> train = new ArrayList<>();
                List<Integer> test = new ArrayList<>();
                for (int i = 0; i < y.length; i++) {
                    (fold[i] == f ? test : train).add(i);
                }
                if (test.isEmpty()) {
                    continue;
                }
                double[][] stats = meanAndSd(x, train);
                double[][] xt = standardise(x, train, stats);
                int[] yt = train.stream().mapToInt(i -> y[i]).toArray();
                requireEveryClass(yt, k, f);
                LogisticRegression model = LogisticRegression.fit(xt, yt, o.lambda(), 1e-5, 500);
                int ok = 0;
                for (int j = 0; j < xt.length; j++) {
                    ok += model.predict(xt[j]) == yt[j] ? 1 : 0;
                }
                trainAcc += ok / (double) xt.length / o.folds();
                double[][] xv = standardise(x, test, stats);
                for (int j = 0; j < xv.length; j++) {
                    model.predict(xv[j], post[test.get(j)]);
                }
            }
            int correct = 0;
            for (int i = 0; i < y.length; i++) {
                correct += argmax(post[i]) == y[i] ? 1 : 0;
            }
            Accuracy acc = Accuracy.of(correct, y.length);
            results.add(new LayerResult(e.getKey(), acc.rate(), acc.ci95().lower(), acc.ci95().upper(), correct, y.length,
                    Auc.macroOneVsRest(post, y, k), trainAcc));
        }
        return new Curve(new Balance(before, after), results);
    }

    /** Every class down-sampled (seeded) to the smallest class's count; order of the kept examples preserved. */
    static ProbeSet balanced(ProbeSet set, long seed) {
        int k = set.classes().size();
        int[] y = set.labels();
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < k; c++) {
            byClass.add(new ArrayList<>());
        }
        for (int i = 0; i < y.length; i++) {
            byClass.get(y[i]).add(i);
        }
        int min = Integer.MAX_VALUE;
        for (int c = 0; c < k; c++) {
            if (byClass.get(c).isEmpty()) {
                throw new IllegalArgumentException("class '" + set.classes().get(c) + "' has no example (counts "
                        + set.classCounts() + "); a probe needs every class");
            }
            min = Math.min(min, byClass.get(c).size());
        }
        Random r = new Random(seed);
        List<Integer> keep = new ArrayList<>();
        for (List<Integer> idx : byClass) {
            List<Integer> shuffled = new ArrayList<>(idx);
            Collections.shuffle(shuffled, r);
            keep.addAll(shuffled.subList(0, min));
        }
        Collections.sort(keep);
        return set.subset(keep);
    }

    /** Fold per example: whole groups, round-robin over the groups in order of their first class, shuffled. */
    static int[] folds(ProbeSet set, int folds, long seed) {
        int[] y = set.labels();
        int[] g = set.groups();
        Map<Integer, Integer> firstClass = new LinkedHashMap<>();
        for (int i = 0; i < y.length; i++) {
            firstClass.putIfAbsent(g[i], y[i]);
        }
        Random r = new Random(seed ^ 0x5DEECE66DL);
        List<Integer> groups = new ArrayList<>(firstClass.keySet());
        Collections.shuffle(groups, r);
        groups.sort(java.util.Comparator.comparingInt(firstClass::get)); // stable: shuffled within a class
        Map<Integer, Integer> foldOf = new LinkedHashMap<>();
        for (int i = 0; i < groups.size(); i++) {
            foldOf.put(groups.get(i), i % folds);
        }
        int[] out = new int[y.length];
        for (int i = 0; i < y.length; i++) {
            out[i] = foldOf.get(g[i]);
        }
        return out;
    }

    private static void requireEveryClass(int[] y, int k, int fold) {
        boolean[] seen = new boolean[k];
        for (int v : y) {
            seen[v] = true;
        }
        for (int c = 0; c < k; c++) {
            if (!seen[c]) {
                throw new IllegalArgumentException("the training folds of fold " + fold + " hold no example of class " + c
                        + "; use fewer folds or more examples");
            }
        }
    }

    private static double[][] meanAndSd(float[][] x, List<Integer> rows) {
        int d = x[0].length;
        double[] mean = new double[d];
        double[] sd = new double[d];
        for (int i : rows) {
            for (int j = 0; j < d; j++) {
                mean[j] += x[i][j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= rows.size();
        }
        for (int i : rows) {
            for (int j = 0; j < d; j++) {
                double v = x[i][j] - mean[j];
                sd[j] += v * v;
            }
        }
        for (int j = 0; j < d; j++) {
            sd[j] = Math.sqrt(sd[j] / rows.size());
            if (sd[j] == 0) {
                sd[j] = 1;
            }
        }
        return new double[][] {mean, sd};
    }

    private static double[][] standardise(float[][] x, List<Integer> rows, double[][] stats) {
        double[][] out = new double[rows.size()][];
        for (int k = 0; k < out.length; k++) {
            float[] row = x[rows.get(k)];
            double[] v = new double[row.length];
            for (int j = 0; j < row.length; j++) {
                v[j] = (row[j] - stats[0][j]) / stats[1][j];
            }
            out[k] = v;
        }
        return out;
    }

    private static int argmax(double[] p) {
        int best = 0;
        for (int i = 1; i < p.length; i++) {
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }
}

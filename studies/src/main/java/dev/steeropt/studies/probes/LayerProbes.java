package dev.steeropt.studies.probes;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import smile.classification.LogisticRegression;

/**
 * Trains one L2-regularised logistic regression per layer (Smile) on train activations labelled correct (1) /
 * incorrect (0), and scores it on validation activations: accuracy and Mann-Whitney AUC per layer. Features are
 * standardised with the training mean and standard deviation of each dimension first.
 */
public final class LayerProbes {
    /** Default L2 penalty. */
    public static final double DEFAULT_LAMBDA = 1.0;

    private LayerProbes() {}

    /**
     * @param train        layer → {@code [example][d_model]}
     * @param trainLabels  1 correct, 0 incorrect, per training example
     * @param val          layer → {@code [example][d_model]}, the same layers
     * @param valLabels    per validation example
     * @param lambda       L2 penalty (≥ 0)
     * @param hookPoint    recorded in the report, e.g. {@code hook_resid_post}
     * @param readPosition recorded in the report, e.g. {@code last_token}
     * @throws IllegalArgumentException if a split lacks a class, sizes disagree or layers differ
     * @throws IllegalStateException    if a layer holds no activation (an empty capture)
     */
    public static ProbeReport train(Map<Integer, float[][]> train, int[] trainLabels, Map<Integer, float[][]> val, int[] valLabels,
            double lambda, String hookPoint, String readPosition) {
        if (!train.keySet().equals(val.keySet())) {
            throw new IllegalArgumentException("train activations for layers " + train.keySet() + " but validation for " + val.keySet());
        }
        if (!(lambda >= 0)) {
            throw new IllegalArgumentException("lambda must be >= 0, got " + lambda);
        }
        requireBothClasses(trainLabels, "train");
        requireBothClasses(valLabels, "validation");
        List<ProbeReport.LayerResult> results = new ArrayList<>();
        for (Map.Entry<Integer, float[][]> e : new TreeMap<>(train).entrySet()) {
            int layer = e.getKey();
            float[][] xt = e.getValue();
            float[][] xv = val.get(layer);
            if (xt.length == 0 || xv.length == 0) {
                throw new IllegalStateException("layer " + layer + " has no captured activation (" + xt.length + " train, " + xv.length
                        + " validation); the capture was empty");
            }
            if (xt.length != trainLabels.length || xv.length != valLabels.length) {
                throw new IllegalArgumentException("layer " + layer + ": " + xt.length + "/" + xv.length + " activations but "
                        + trainLabels.length + "/" + valLabels.length + " labels");
            }
            int d = xt[0].length;
            double[] mean = new double[d];
            double[] sd = new double[d];
            for (float[] row : xt) {
                for (int i = 0; i < d; i++) {
                    mean[i] += row[i];
                }
            }
            for (int i = 0; i < d; i++) {
                mean[i] /= xt.length;
            }
            for (float[] row : xt) {
                for (int i = 0; i < d; i++) {
                    sd[i] += (row[i] - mean[i]) * (row[i] - mean[i]);
                }
            }
            for (int i = 0; i < d; i++) {
                sd[i] = Math.sqrt(sd[i] / xt.length);
                if (sd[i] == 0) {
                    sd[i] = 1;
                }
            }
            double[][] ft = standardise(xt, mean, sd);
            double[][] fv = standardise(xv, mean, sd);
            LogisticRegression.Binomial model = LogisticRegression.binomial(ft, trainLabels, lambda, 1e-5, 500);
            double[] trainScores = posteriors(model, ft);
            double[] valScores = posteriors(model, fv);
            results.add(new ProbeReport.LayerResult(layer, accuracy(trainScores, trainLabels), accuracy(valScores, valLabels),
                    Auc.mannWhitney(valScores, valLabels), xt.length, xv.length));
        }
        return new ProbeReport(hookPoint, readPosition, lambda, results);
    }

    private static double[][] standardise(float[][] x, double[] mean, double[] sd) {
        double[][] out = new double[x.length][];
        for (int k = 0; k < x.length; k++) {
            if (x[k].length != mean.length) {
                throw new IllegalArgumentException("activation " + k + " has " + x[k].length + " values, expected " + mean.length);
            }
            out[k] = new double[mean.length];
            for (int i = 0; i < mean.length; i++) {
                out[k][i] = (x[k][i] - mean[i]) / sd[i];
            }
        }
        return out;
    }

    /** P(label 1 | x): Smile orders class indices by label value, so index 1 is label 1. */
    private static double[] posteriors(LogisticRegression.Binomial model, double[][] x) {
        double[] out = new double[x.length];
        double[] post = new double[2];
        for (int i = 0; i < x.length; i++) {
            model.predict(x[i], post);
            out[i] = post[1];
        }
        return out;
    }

    private static double accuracy(double[] scores, int[] labels) {
        int ok = 0;
        for (int i = 0; i < scores.length; i++) {
            if ((scores[i] >= 0.5 ? 1 : 0) == labels[i]) {
                ok++;
            }
        }
        return (double) ok / scores.length;
    }

    private static void requireBothClasses(int[] labels, String split) {
        int pos = 0;
        for (int y : labels) {
            if (y != 0 && y != 1) {
                throw new IllegalArgumentException(split + " label " + y + " is not 0 (incorrect) or 1 (correct)");
            }
            pos += y;
        }
        if (pos == 0 || pos == labels.length) {
            throw new IllegalArgumentException("the " + split + " split has only " + (pos == 0 ? "incorrect" : "correct") + " examples ("
                    + labels.length + "); a probe needs both classes");
        }
    }
}

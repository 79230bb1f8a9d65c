package dev.steeropt.optimizer.importance;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.samplers.tpe.TruncatedNormal;
import dev.steeropt.optimizer.trial.FrozenTrial;
import java.util.List;

/**
 * PED-ANOVA's one-dimensional Parzen estimator on a grid (Optuna's {@code build_parzen_estimator_on_grid} and
 * {@code ScottParzenEstimator}): the trials' values of one parameter are counted into grid cells; each occupied cell
 * is a kernel weighted by its count, plus a prior kernel of weight {@code priorWeight}. Numerical kernels are
 * discretised truncated normals with Scott's bandwidth over the cell indices; categorical kernels are Optuna's
 * categorical rows (one per occupied choice).
 */
final class GridParzenEstimator {
    /** 1.64 sigma (90 % of the mass) fits in half a grid cell. */
    private static final double SIGMA_MIN = 0.5 / 1.64;

    private final double[] pdf;

    private GridParzenEstimator(double[] pdf) {
        this.pdf = pdf;
    }

    /** The estimator's probability of each grid cell. */
    double[] pdf() {
        return pdf.clone();
    }

    static GridParzenEstimator onGrid(String param, Distribution dist, List<FrozenTrial> trials, int nSteps,
            double priorWeight) {
        if (dist instanceof CategoricalDistribution c) {
            long[] counts = new long[c.choices().size()];
            for (FrozenTrial t : trials) {
                counts[(int) c.toInternal(t.params().get(param))]++;
            }
            return new GridParzenEstimator(categoricalPdf(counts, priorWeight));
        }
        return new GridParzenEstimator(numericalPdf(numericalCounts(param, dist, trials, nSteps), priorWeight));
    }

    /** Counts of the trials' values in each of the (at most {@code nSteps}) equally spaced grid points. */
    static long[] numericalCounts(String param, Distribution dist, List<FrozenTrial> trials, int nSteps) {
        double low;
        double high;
        boolean log;
        if (dist instanceof IntDistribution i) {
            low = i.low();
            high = i.high();
            log = i.log();
            if (log) {
                int log2DomainSize = (int) Math.ceil(Math.log(i.high() - i.low() + 1) / Math.log(2)) + 1;
                nSteps = Math.min(log2DomainSize, nSteps);
            } else {
                nSteps = (int) Math.min(Math.rint((double) (i.high() - i.low()) / i.step()) + 1, nSteps);
            }
        } else {
            FloatDistribution f = (FloatDistribution) dist;
            low = f.low();
            high = f.high();
            log = f.log();
            if (f.step() != null) {
                nSteps = (int) Math.min(Math.rint((f.high() - f.low()) / f.step()) + 1, nSteps);
            }
        }
        if (log) {
            low = Math.log(low);
            high = Math.log(high);
        }
        double stepSize = (high - low) / (nSteps - 1);
        long[] counts = new long[nSteps];
        for (FrozenTrial t : trials) {
            double v = ((Number) t.params().get(param)).doubleValue();
            if (log) {
                v = Math.log(v);
            }
            // midpoint ties go to the lower grid point, as in Optuna
            int index = (int) Math.ceil((v - low) / stepSize - 0.5);
            counts[Math.max(0, Math.min(nSteps - 1, index))]++;
        }
        return counts;
    }

    /** Mixture weights: each occupied cell's count, then the prior, normalised. */
    private static double[] mixtureWeights(int[] occupied, long[] counts, double priorWeight) {
        if (occupied.length == 0) {
            return new double[] {1.0};
        }
        double[] w = new double[occupied.length + 1];
        double sum = priorWeight;
        for (int k = 0; k < occupied.length; k++) {
            w[k] = counts[occupied[k]];
            sum += w[k];
        }
        w[occupied.length] = priorWeight;
        for (int k = 0; k < w.length; k++) {
            w[k] /= sum;
        }
        return w;
    }

    private static int[] occupied(long[] counts) {
        return java.util.stream.IntStream.range(0, counts.length).filter(i -> counts[i] > 0).toArray();
    }

    static double[] categoricalPdf(long[] counts, double priorWeight) {
        int nChoices = counts.length;
        int[] obs = occupied(counts);
        double[] pdf = new double[nChoices];
        if (obs.length == 0) {
            java.util.Arrays.fill(pdf, 1.0 / nChoices);
            return pdf;
        }
        double[] weights = mixtureWeights(obs, counts, priorWeight);
        int nKernels = obs.length + 1;
        double base = priorWeight / nKernels;
        for (int k = 0; k < nKernels; k++) {
            // kernel row: base everywhere, +1 on its observed choice (the prior row has none), normalised
            double rowSum = base * nChoices + (k < obs.length ? 1.0 : 0.0);
            for (int x = 0; x < nChoices; x++) {
                double cell = base + (k < obs.length && obs[k] == x ? 1.0 : 0.0);
                pdf[x] += weights[k] * cell / (rowSum == 0 ? 1 : rowSum);
            }
        }
        return pdf;
    }

    static double[] numericalPdf(long[] counts, double priorWeight) {
        int size = counts.length;
        int[] obs = occupied(counts);
        double[] weights = mixtureWeights(obs, counts, priorWeight);
        double low = 0.0;
        double high = size - 1;
        double[] mus = new double[obs.length + 1];
        double[] sigmas = new double[obs.length + 1];
        if (obs.length > 0) {
            long[] cum = new long[obs.length];
            long total = 0;
            double weighted = 0.0;
            for (int k = 0; k < obs.length; k++) {
                total += counts[obs[k]];
                cum[k] = total;
                weighted += obs[k] * (double) counts[obs[k]];
            }
            double mean = weighted / total;
            double ss = 0.0;
            for (int k = 0; k < obs.length; k++) {
                ss += (obs[k] - mean) * (obs[k] - mean) * counts[obs[k]];
            }
            double sigma = Math.sqrt(ss / Math.max(1, total - 1));
            int q1 = searchLeft(cum, total / 4);
            int q3 = searchRight(cum, total * 3 / 4);
            double iqr = obs[Math.min(obs.length - 1, q3)] - obs[q1];
            double scott = 1.059 * Math.min(iqr / 1.34, sigma) * Math.pow(total, -0.2);
            for (int k = 0; k < obs.length; k++) {
                mus[k] = obs[k];
                sigmas[k] = Math.max(scott, SIGMA_MIN);
            }
        }
        mus[obs.length] = (low + high) / 2.0;
        sigmas[obs.length] = high - low + 1;
        double[] pdf = new double[size];
        double[] logTerms = new double[weights.length];
        for (int x = 0; x < size; x++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < weights.length; k++) {
                double mu = mus[k];
                double s = sigmas[k];
                double logMass = TruncatedNormal.logGaussMass((x - 0.5 - mu) / s, (x + 0.5 - mu) / s)
                        - TruncatedNormal.logGaussMass((low - 0.5 - mu) / s, (high + 0.5 - mu) / s);
                logTerms[k] = logMass + Math.log(weights[k]);
                max = Math.max(max, logTerms[k]);
            }
            if (max == Double.NEGATIVE_INFINITY) {
                max = 0.0;
            }
            double acc = 0.0;
            for (double lt : logTerms) {
                acc += Math.exp(lt - max);
            }
            pdf[x] = Math.exp(Math.log(acc) + max);
        }
        return pdf;
    }

    /** numpy {@code searchsorted(side="left")}: the first index with {@code a[i] >= v}. */
    private static int searchLeft(long[] a, long v) {
        int i = 0;
        while (i < a.length && a[i] < v) {
            i++;
        }
        return i;
    }

    /** numpy {@code searchsorted(side="right")}: the first index with {@code a[i] > v}. */
    private static int searchRight(long[] a, long v) {
        int i = 0;
        while (i < a.length && a[i] <= v) {
            i++;
        }
        return i;
    }
}

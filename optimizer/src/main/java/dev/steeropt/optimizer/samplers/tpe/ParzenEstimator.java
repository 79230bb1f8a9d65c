package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Optuna's Parzen estimator: a mixture of product kernels, one per observation plus one prior kernel (Optuna's
 * {@code _ParzenEstimator}, reference §2.5).
 *
 * <p>Numerical params live in a transformed space: stepped params (all ints) widen their bounds by half a step, log
 * params take the natural log of bounds and observations. Each kernel is a normal truncated to those bounds (a
 * continuous density, or for stepped params the Gaussian mass of the grid cell). Categorical params get a
 * probability row per kernel. All values in and out are Optuna's internal form (floats as themselves, categorical
 * index as a double); arrays are indexed {@code [param][point]}.
 *
 * <p>Immutable after construction and thread-safe; sampling draws from the generator passed in.
 */
public final class ParzenEstimator {

    /** How the observation kernels' bandwidths are chosen. */
    public enum Bandwidth {
        /**
         * Larger gap to the sorted neighbours, bounds as outer neighbours (Optuna 5.0 everywhere, and Optuna 4.9 for
         * univariate TPE).
         */
        NEIGHBOUR_GAPS,
        /** As {@link #NEIGHBOUR_GAPS} but the prior centre also counts as a neighbour (Optuna 4.0-4.8 univariate). */
        NEIGHBOUR_GAPS_WITH_PRIOR,
        /** One Scott-like width 0.2 n^(-1/(d+4)) (high-low) for every kernel (Optuna 4.9 multivariate). */
        SCOTT
    }

    /**
     * Estimator options, with Optuna's meaning.
     *
     * @param priorWeight       weight of the prior kernel before normalisation (Optuna default 1.0); > 0
     * @param considerMagicClip floor sigmas at (high-low)/min(100, n+2) (default true); else at 1e-12
     * @param considerEndpoints let the outermost observations use the gap to the bound too (default false)
     * @param bandwidth         the bandwidth rule
     */
    public record Parameters(double priorWeight, boolean considerMagicClip, boolean considerEndpoints,
            Bandwidth bandwidth) {
        public Parameters {
            if (!(priorWeight > 0) || !Double.isFinite(priorWeight)) {
                throw new IllegalArgumentException("priorWeight must be a finite number > 0, got " + priorWeight);
            }
            Objects.requireNonNull(bandwidth, "bandwidth");
        }

        /** Optuna 5.0's defaults: prior weight 1, magic clip on, endpoints off, neighbour-gap bandwidths. */
        public static Parameters optunaDefaults() {
            return new Parameters(1.0, true, false, Bandwidth.NEIGHBOUR_GAPS);
        }
    }

    private static final double EPS = 1e-12;
    /** Standardised distance beyond which a bound truncates less than 1e-16 of a normal's mass. */
    private static final double UNTRUNCATED = 8.3;

    /** Kinds of per-param kernels. */
    enum Kind { CONTINUOUS, DISCRETE, DISCRETE_LOG, CATEGORICAL }

    /** The kernels of one param across all mixture components. */
    static final class ParamKernels {
        final Kind kind;
        /** distribution bounds in the original space (for rounding and clipping samples). */
        final double low;
        final double high;
        final double step;
        final boolean log;
        /** truncation bounds in the transformed space. */
        final double lo;
        final double hi;
        double[] mu;
        double[] sigma;
        double[] invSigma;
        /** log of the normalising constant per kernel: log(sigma sqrt(2 pi)) + log mass (continuous), log mass (discrete). */
        double[] logNorm;
        /** categorical: log probability [kernel][choice] and probability rows. */
        double[][] logProbs;
        double[][] probs;

        ParamKernels(Kind kind, double low, double high, double step, boolean log, double lo, double hi) {
            this.kind = kind;
            this.low = low;
            this.high = high;
            this.step = step;
            this.log = log;
            this.lo = lo;
            this.hi = hi;
        }
    }

    private final List<String> names;
    private final ParamKernels[] params;
    private final double[] weights;
    private final double[] logWeights;
    private final double[] cumWeights;
    /** log mixture weight minus the log normalisers of the continuous kernels: each point's starting sum. */
    private final double[] baseLog;
    private final int nKernels;

    /**
     * Builds the estimator.
     *
     * @param names        param names, in the order of {@code distributions} and {@code observations}
     * @param distributions the search space
     * @param observations internal values, {@code [param][observation]}; every row has the same length n
     * @param obsWeights   the n observation weights before the prior is appended (e.g. Optuna's default_weights(n))
     * @param p            options
     */
    public ParzenEstimator(List<String> names, List<Distribution> distributions, double[][] observations,
            double[] obsWeights, Parameters p) {
        this(names, distributions, observations, obsWeights, p, null);
    }

    /**
     * As {@link #ParzenEstimator(List, List, double[][], double[], Parameters)}, with the observations' ascending
     * order per param already known ({@code orders[j]} = observation indices sorted by value, ties by index, as a
     * stable sort gives; null, or a null row, means "sort here"). Saves the sort when the caller keeps sorted data.
     */
    ParzenEstimator(List<String> names, List<Distribution> distributions, double[][] observations,
            double[] obsWeights, Parameters p, int[][] orders) {
        this.names = List.copyOf(names);
        int d = names.size();
        if (distributions.size() != d || observations.length != d) {
            throw new IllegalArgumentException("expected " + d + " distributions and observation rows, got "
                    + distributions.size() + " and " + observations.length);
        }
        int n = obsWeights.length;
        for (int j = 0; j < d; j++) {
            if (observations[j].length != n) {
                throw new IllegalArgumentException("param '" + names.get(j) + "' has " + observations[j].length
                        + " observations but " + n + " weights were given");
            }
        }
        this.nKernels = n + 1;
        this.weights = new double[nKernels];
        if (n == 0) {
            weights[0] = 1.0;
        } else {
            double sum = p.priorWeight();
            for (int i = 0; i < n; i++) {
                weights[i] = obsWeights[i];
                sum += obsWeights[i];
            }
            weights[n] = p.priorWeight();
            for (int i = 0; i <= n; i++) {
                weights[i] /= sum;
            }
        }
        this.logWeights = new double[nKernels];
        this.cumWeights = new double[nKernels];
        double c = 0;
        for (int i = 0; i < nKernels; i++) {
            logWeights[i] = Math.log(weights[i]);
            c += weights[i];
            cumWeights[i] = c;
        }
        this.params = new ParamKernels[d];
        for (int j = 0; j < d; j++) {
            params[j] = build(distributions.get(j), observations[j], n, d, p, orders == null ? null : orders[j]);
        }
        this.baseLog = logWeights.clone();
        for (ParamKernels k : params) {
            if (k.kind == Kind.CONTINUOUS) {
                for (int i = 0; i < nKernels; i++) {
                    baseLog[i] -= k.logNorm[i];
                }
            }
        }
    }

    private static ParamKernels build(Distribution dist, double[] obs, int n, int dims, Parameters p, int[] order) {
        if (dist instanceof CategoricalDistribution cat) {
            return categorical(cat.choices().size(), obs, n, p.priorWeight());
        }
        ParamKernels k;
        if (dist instanceof FloatDistribution f) {
            if (f.log()) {
                k = new ParamKernels(Kind.CONTINUOUS, f.low(), f.high(), 0, true, Math.log(f.low()), Math.log(f.high()));
            } else if (f.step() != null) {
                double s = f.step();
                k = new ParamKernels(Kind.DISCRETE, f.low(), f.high(), s, false, f.low() - s / 2, f.high() + s / 2);
            } else {
                k = new ParamKernels(Kind.CONTINUOUS, f.low(), f.high(), 0, false, f.low(), f.high());
            }
        } else {
            IntDistribution i = (IntDistribution) dist;
            double s = i.step();
            if (i.log()) {
                k = new ParamKernels(Kind.DISCRETE_LOG, i.low(), i.high(), s, true, Math.log(i.low() - s / 2),
                        Math.log(i.high() + s / 2));
            } else {
                k = new ParamKernels(Kind.DISCRETE, i.low(), i.high(), s, false, i.low() - s / 2, i.high() + s / 2);
            }
        }
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            t[i] = k.log ? Math.log(obs[i]) : obs[i];
        }
        double range = k.hi - k.lo;
        double[] sig = sigmas(t, k.lo, k.hi, dims, p, order);
        k.mu = new double[n + 1];
        k.sigma = new double[n + 1];
        System.arraycopy(t, 0, k.mu, 0, n);
        System.arraycopy(sig, 0, k.sigma, 0, n);
        k.mu[n] = 0.5 * (k.lo + k.hi);
        k.sigma[n] = range;
        finishNumeric(k);
        return k;
    }

    /** Observation-kernel sigmas (without the prior) in the transformed space, clipped. */
    static double[] sigmas(double[] t, double lo, double hi, int dims, Parameters p) {
        return sigmas(t, lo, hi, dims, p, null);
    }

    /** {@link #sigmas(double[], double, double, int, Parameters)} given the ascending order of {@code t} (or null). */
    static double[] sigmas(double[] t, double lo, double hi, int dims, Parameters p, int[] knownOrder) {
        int n = t.length;
        double range = hi - lo;
        double[] out = new double[n];
        if (n == 0) {
            return out;
        }
        if (p.bandwidth() == Bandwidth.SCOTT) {
            double s = 0.2 * Math.pow(Math.max(n, 1), -1.0 / (dims + 4)) * range;
            java.util.Arrays.fill(out, s);
        } else {
            boolean withPrior = p.bandwidth() == Bandwidth.NEIGHBOUR_GAPS_WITH_PRIOR;
            int m = withPrior ? n + 1 : n;
            double[] centres = new double[m];
            System.arraycopy(t, 0, centres, 0, n);
            if (withPrior) {
                centres[n] = 0.5 * (lo + hi);
            }
            int[] order = knownOrder != null && !withPrior && knownOrder.length == n ? knownOrder : argsort(centres);
            double[] ends = new double[m + 2];
            ends[0] = lo;
            for (int i = 0; i < m; i++) {
                ends[i + 1] = centres[order[i]];
            }
            ends[m + 1] = hi;
            double[] sorted = new double[m];
            for (int i = 0; i < m; i++) {
                sorted[i] = Math.max(ends[i + 1] - ends[i], ends[i + 2] - ends[i + 1]);
            }
            if (!p.considerEndpoints() && ends.length >= 4) {
                sorted[0] = ends[2] - ends[1];
                sorted[m - 1] = ends[m] - ends[m - 1];
            }
            for (int i = 0; i < m; i++) {
                int orig = order[i];
                if (orig < n) {
                    out[orig] = sorted[i];
                }
            }
        }
        double maxSigma = range;
        double minSigma = p.considerMagicClip() ? range / Math.min(100.0, 1.0 + (n + 1)) : EPS;
        for (int i = 0; i < n; i++) {
            out[i] = Math.min(Math.max(out[i], minSigma), maxSigma);
        }
        return out;
    }

    /**
     * Indices that sort {@code v} ascending, stable (ties keep index order), without boxing: the values are sorted as
     * primitives, then each index is placed at its value's first sorted position plus the number of equal values
     * already placed. Values must not be NaN.
     */
    static int[] argsort(double[] v) {
        int m = v.length;
        double[] sorted = v.clone();
        Arrays.sort(sorted);
        int[] order = new int[m];
        int[] used = new int[m];
        for (int i = 0; i < m; i++) {
            int pos = lowerBound(sorted, v[i]);
            order[pos + used[pos]++] = i;
        }
        return order;
    }

    /** The first index whose value is >= {@code x} in the ascending array {@code a}. */
    private static int lowerBound(double[] a, double x) {
        int lo = 0;
        int hi = a.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (a[mid] < x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    private static void finishNumeric(ParamKernels k) {
        int kk = k.mu.length;
        k.invSigma = new double[kk];
        k.logNorm = new double[kk];
        for (int i = 0; i < kk; i++) {
            double s = k.sigma[i];
            k.invSigma[i] = 1.0 / s;
            double mass = TruncatedNormal.logGaussMass((k.lo - k.mu[i]) / s, (k.hi - k.mu[i]) / s);
            k.logNorm[i] = k.kind == Kind.CONTINUOUS ? mass + Math.log(s) + 0.5 * Math.log(2 * Math.PI) : mass;
        }
    }

    private static ParamKernels categorical(int nChoices, double[] obs, int n, double priorWeight) {
        ParamKernels k = new ParamKernels(Kind.CATEGORICAL, 0, nChoices - 1, 1, false, 0, nChoices - 1);
        k.probs = new double[n + 1][nChoices];
        k.logProbs = new double[n + 1][nChoices];
        double base = priorWeight / (n + 1);
        double sum = base * nChoices + 1.0;
        // Every observation row holds the same two values (base, and base + 1 at the observed choice, over sum), so
        // their logs are taken once rather than per cell.
        double other = base / sum;
        double hit = (base + 1.0) / sum;
        double logOther = Math.log(other);
        double logHit = Math.log(hit);
        for (int i = 0; i < n; i++) {
            int chosen = (int) obs[i];
            java.util.Arrays.fill(k.probs[i], other);
            java.util.Arrays.fill(k.logProbs[i], logOther);
            k.probs[i][chosen] = hit;
            k.logProbs[i][chosen] = logHit;
        }
        java.util.Arrays.fill(k.probs[n], 1.0 / nChoices);
        java.util.Arrays.fill(k.logProbs[n], Math.log(1.0 / nChoices));
        return k;
    }

    // ---- queries ----

    /** Number of mixture components (observations + 1 prior). */
    public int nKernels() {
        return nKernels;
    }

    /** The normalised mixture weights, prior last. */
    public double[] mixtureWeights() {
        return weights.clone();
    }

    /** Param names in estimator order. */
    public List<String> names() {
        return names;
    }

    /** Kernel centres of numerical param {@code j} in the transformed space (prior last). */
    public double[] mus(int j) {
        return params[j].mu.clone();
    }

    /** Kernel widths of numerical param {@code j} in the transformed space (prior last). */
    public double[] sigmas(int j) {
        return params[j].sigma.clone();
    }

    /** Truncation bounds {lo, hi} of numerical param {@code j} in the transformed space. */
    public double[] adaptedBounds(int j) {
        return new double[] {params[j].lo, params[j].hi};
    }

    /** Probability rows [kernel][choice] of categorical param {@code j}. */
    public double[][] categoricalWeights(int j) {
        double[][] out = new double[nKernels][];
        for (int i = 0; i < nKernels; i++) {
            out[i] = params[j].probs[i].clone();
        }
        return out;
    }

    /** Mixture log density at points given as internal values {@code x[param][point]}. */
    public double[] logPdf(double[][] x) {
        int m = x[0].length;
        double[] out = new double[m];
        double[] acc = new double[nKernels];
        // Discrete kernels cost two error functions per kernel: compute each distinct grid value once per call. The
        // candidates' values are few, so a short list searched linearly beats hashing boxed doubles.
        double[][] seenValues = new double[params.length][];
        double[][][] seenRows = new double[params.length][][];
        int[] nSeen = new int[params.length];
        for (int c = 0; c < m; c++) {
            System.arraycopy(baseLog, 0, acc, 0, nKernels);
            for (int j = 0; j < params.length; j++) {
                ParamKernels k = params[j];
                if (k.kind == Kind.DISCRETE || k.kind == Kind.DISCRETE_LOG) {
                    if (seenValues[j] == null) {
                        seenValues[j] = new double[m];
                        seenRows[j] = new double[m][];
                    }
                    double xv = x[j][c];
                    double[] cached = null;
                    for (int s = 0; s < nSeen[j]; s++) {
                        if (seenValues[j][s] == xv) {
                            cached = seenRows[j][s];
                            break;
                        }
                    }
                    if (cached == null) {
                        cached = new double[nKernels];
                        addLogKernel(k, xv, cached);
                        seenValues[j][nSeen[j]] = xv;
                        seenRows[j][nSeen[j]++] = cached;
                    }
                    for (int i = 0; i < nKernels; i++) {
                        acc[i] += cached[i];
                    }
                } else {
                    addLogKernel(k, x[j][c], acc);
                }
            }
            out[c] = logSumExp(acc);
        }
        return out;
    }

    /** Adds each kernel's log density of param value {@code v} (internal form) to {@code acc}. */
    private void addLogKernel(ParamKernels k, double v, double[] acc) {
        int kk = nKernels;
        switch (k.kind) {
            case CATEGORICAL -> {
                int ci = (int) v;
                for (int i = 0; i < kk; i++) {
                    acc[i] += k.logProbs[i][ci];
                }
            }
            case CONTINUOUS -> {
                double t = k.log ? Math.log(v) : v;
                if (t < k.lo || t > k.hi) {
                    java.util.Arrays.fill(acc, Double.NEGATIVE_INFINITY);
                    return;
                }
                double[] mu = k.mu;
                double[] inv = k.invSigma;
                for (int i = 0; i < kk; i++) { // the kernels' normalisers are already in baseLog
                    double z = (t - mu[i]) * inv[i];
                    acc[i] -= 0.5 * z * z;
                }
            }
            default -> {
                double lower;
                double upper;
                if (k.kind == Kind.DISCRETE_LOG) {
                    lower = Math.max(Math.log(v - k.step / 2), k.lo);
                    upper = Math.min(Math.log(v + k.step / 2), k.hi);
                } else {
                    lower = Math.max(v - k.step / 2, k.lo);
                    upper = Math.min(v + k.step / 2, k.hi);
                }
                for (int i = 0; i < kk; i++) {
                    double inv = k.invSigma[i];
                    acc[i] += TruncatedNormal.logGaussMass((lower - k.mu[i]) * inv, (upper - k.mu[i]) * inv)
                            - k.logNorm[i];
                }
            }
        }
    }

    static double logSumExp(double[] a) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : a) {
            if (v > max) {
                max = v;
            }
        }
        if (max == Double.NEGATIVE_INFINITY) {
            return max;
        }
        double s = 0;
        for (double v : a) {
            s += Math.exp(v - max);
        }
        return max + Math.log(s);
    }

    /** Draws {@code count} points from the mixture, as internal values {@code [param][point]}. */
    public double[][] sample(RandomGenerator rng, int count) {
        int[] active = new int[count];
        for (int c = 0; c < count; c++) {
            double u = rng.nextDouble();
            int i = 0;
            while (i < nKernels - 1 && cumWeights[i] <= u) {
                i++;
            }
            active[c] = i;
        }
        double[][] out = new double[params.length][count];
        for (int j = 0; j < params.length; j++) {
            ParamKernels k = params[j];
            for (int c = 0; c < count; c++) {
                out[j][c] = sampleOne(k, active[c], rng.nextDouble());
            }
        }
        return out;
    }

    /**
     * Draws {@code count} points from observation kernel {@code kernel} alone, its widths scaled by {@code sigmaScale}
     * (in (0, 1]: a narrower, local proposal), as internal values {@code [param][point]}.
     */
    public double[][] sampleKernel(RandomGenerator rng, int count, int kernel, double sigmaScale) {
        if (kernel < 0 || kernel >= nKernels) {
            throw new IllegalArgumentException("kernel " + kernel + " is outside 0.." + (nKernels - 1));
        }
        if (!(sigmaScale > 0 && sigmaScale <= 1)) {
            throw new IllegalArgumentException("sigmaScale must be in (0, 1], got " + sigmaScale);
        }
        double[][] out = new double[params.length][count];
        for (int j = 0; j < params.length; j++) {
            ParamKernels k = params[j];
            for (int c = 0; c < count; c++) {
                out[j][c] = sampleOne(k, kernel, rng.nextDouble(), sigmaScale);
            }
        }
        return out;
    }

    private static double sampleOne(ParamKernels k, int i, double u) {
        return sampleOne(k, i, u, 1.0);
    }

    private static double sampleOne(ParamKernels k, int i, double u, double sigmaScale) {
        if (k.kind == Kind.CATEGORICAL) {
            double[] row = k.probs[i];
            double cum = 0;
            int last = row.length - 1;
            for (int c = 0; c < last; c++) {
                cum += row[c];
                if (u <= cum) {
                    return c;
                }
            }
            return last;
        }
        double mu = k.mu[i];
        double s = k.sigma[i] * sigmaScale;
        double a = (k.lo - mu) / s;
        double b = (k.hi - mu) / s;
        // Both bounds beyond 8.3 sigmas: the truncated mass differs from 1 by < 1e-16, so the plain normal quantile is
        // the truncated one to double precision, without the two tail CDFs.
        double z = a < -UNTRUNCATED && b > UNTRUNCATED && u > 0 && u < 1 ? TruncatedNormal.ndtri(u)
                : TruncatedNormal.ppf(u, a, b);
        double t = mu + s * z;
        switch (k.kind) {
            case CONTINUOUS -> {
                double v = k.log ? Math.exp(t) : t;
                return Math.min(Math.max(v, k.low), k.high);
            }
            case DISCRETE_LOG -> {
                return Math.min(Math.max(Math.rint(Math.exp(t)), k.low), k.high);
            }
            default -> {
                double v = k.low + Math.rint((t - k.low) / k.step) * k.step;
                return Math.min(Math.max(v, k.low), k.high);
            }
        }
    }
}

package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.IntFunction;
import java.util.function.IntUnaryOperator;

/**
 * Tree-structured Parzen Estimator sampler (Optuna's {@code TPESampler}, reference §2).
 *
 * <p>Random sampling until {@code nStartupTrials} trials are COMPLETE or PRUNED; then the finished trials are split
 * into the best {@code gamma(n)} ("below") and the rest ("above"), one {@link ParzenEstimator} is fitted to each,
 * {@code nEiCandidates} candidates are drawn from the below estimator, and the one maximising
 * {@code log l(x) - log g(x)} is returned.
 *
 * <p><b>Our default differs from Optuna 5.0 on mixed categorical/numeric spaces.</b> Optuna's multivariate TPE fits
 * one joint kernel per trial over all params, so once the best ~10% of trials share one category the other category
 * gets almost no mass and is never tried again (reference §8.3: trapped in the worse {@code method} 7/10 times). With
 * {@link CategoricalStrategy#CONDITIONAL} (our default) the categorical params are chosen first (joint TPE over the
 * categoricals only, and with probability {@code categoricalExploration} uniformly at random), and the numeric params
 * are then sampled by multivariate TPE fitted only to the trials with the same categorical values. Each category
 * thus gets its own local model, and a category that looks worse early on still gets refined when it is explored.
 * {@link #optuna5()} and {@link #optunaIndependent()} give Optuna's algorithms.
 *
 * <p><b>Our default also adds local candidates</b> ({@link Builder#localCandidates}): 4 extra candidates drawn from
 * the best trial's kernel at 0.3 of its width compete with the 24 ordinary ones, which refines the best basin found
 * (the measured effect is in the optimizer module's README).
 *
 * <p>Finished trials never change, so the sampler keeps, per study, their internal values, their ranking by value
 * and the intersection search space, and reads only new trials from the store on each call.
 *
 * <p>Thread-safe (sampling calls are serialised); seeded runs are deterministic for a given call sequence.
 */
public final class TpeSampler implements Sampler {

    /** How a relative search space with categorical and numeric params is sampled. */
    public enum CategoricalStrategy {
        /** One joint kernel over all params (Optuna). */
        JOINT,
        /** Categoricals first, then numerics fitted to the trials sharing those categories (our default). */
        CONDITIONAL
    }

    private final TpeOptions options;
    private final Long seed;
    private final RandomSampler random;
    private final LearningTrials learning;
    private final BelowAboveFit fitter;
    private final TpeStep step;
    private final Map<StudyKey, StudyHistory> histories = new HashMap<>();

    private TpeSampler(Builder b) {
        this.options = new TpeOptions(b.nStartupTrials, b.nEiCandidates, b.gamma, b.weights,
                new ParzenEstimator.Parameters(b.priorWeight, b.considerMagicClip, b.considerEndpoints, b.bandwidth),
                b.multivariate, b.group, b.constantLiar, b.categoricalStrategy, b.categoricalExploration,
                b.localCandidates, b.localScale);
        this.seed = b.seed;
        long s = b.seed != null ? b.seed : new SplittableRandom().nextLong();
        this.random = new RandomSampler(s);
        this.learning = new LearningTrials(options.constantLiar());
        this.fitter = new BelowAboveFit(options);
        this.step = new TpeStep(options, fitter, new SplittableRandom(s));
    }

    /** A builder with our defaults (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    /** Optuna 5.0's default TPE: multivariate, joint kernels, constant liar, neighbour-gap bandwidths. */
    public static Builder optuna5() {
        return new Builder().multivariate(true).categoricalStrategy(CategoricalStrategy.JOINT).constantLiar(true)
                .localCandidates(0, 1.0);
    }

    /** Optuna's independent TPE (the 4.x default, and {@code multivariate=False} in 5.0). */
    public static Builder optunaIndependent() {
        return new Builder().multivariate(false).categoricalStrategy(CategoricalStrategy.JOINT).constantLiar(false)
                .localCandidates(0, 1.0);
    }

    /** Optuna 4.9's {@code multivariate=True}: joint kernels with Scott-like bandwidths. */
    public static Builder optuna49Multivariate() {
        return new Builder().multivariate(true).categoricalStrategy(CategoricalStrategy.JOINT).constantLiar(false)
                .bandwidth(ParzenEstimator.Bandwidth.SCOTT).localCandidates(0, 1.0);
    }

    /**
     * TPE options. Each setter names Optuna's default; where ours differs it says so.
     */
    public static final class Builder {
        private int nStartupTrials = 10;
        private int nEiCandidates = 24;
        private IntUnaryOperator gamma;
        private IntFunction<double[]> weights = TpeDefaults::weights;
        private double priorWeight = 1.0;
        private boolean considerMagicClip = true;
        private boolean considerEndpoints;
        private boolean multivariate = true;
        private boolean group;
        private boolean constantLiar;
        private CategoricalStrategy categoricalStrategy = CategoricalStrategy.CONDITIONAL;
        private double categoricalExploration = 0.2;
        private int localCandidates = 4;
        private double localScale = 0.3;
        private ParzenEstimator.Bandwidth bandwidth = ParzenEstimator.Bandwidth.NEIGHBOUR_GAPS;
        private Long seed;

        private Builder() {}

        /** Random trials before TPE starts, counting COMPLETE and PRUNED (default 10); >= 0. */
        public Builder nStartupTrials(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("nStartupTrials must be >= 0, got " + n);
            }
            this.nStartupTrials = n;
            return this;
        }

        /** Candidates drawn from l(x) per sampling call (default 24); >= 1. */
        public Builder nEiCandidates(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("nEiCandidates must be >= 1, got " + n);
            }
            this.nEiCandidates = n;
            return this;
        }

        /**
         * Number of "below" trials for n finished ones (default {@link TpeDefaults#gamma}, and
         * {@link TpeDefaults#gammaMultiObjective} for several objectives, as Optuna 5.0).
         */
        public Builder gamma(IntUnaryOperator g) {
            this.gamma = Objects.requireNonNull(g, "gamma");
            return this;
        }

        /** Observation weights for n observations, oldest first (default {@link TpeDefaults#weights}). */
        public Builder weights(IntFunction<double[]> w) {
            this.weights = Objects.requireNonNull(w, "weights");
            return this;
        }

        /** Weight of the prior kernel (default 1.0); > 0. */
        public Builder priorWeight(double w) {
            if (!(w > 0)) {
                throw new IllegalArgumentException("priorWeight must be > 0, got " + w);
            }
            this.priorWeight = w;
            return this;
        }

        /** Floor kernel widths at range/min(100, n+2) (default true). */
        public Builder considerMagicClip(boolean b) {
            this.considerMagicClip = b;
            return this;
        }

        /** Let the outermost observations use the gap to the bound (default false). */
        public Builder considerEndpoints(boolean b) {
            this.considerEndpoints = b;
            return this;
        }

        /**
         * Sample the intersection search space jointly (default true, as Optuna 5.0 for one objective; Optuna 4.x
         * default false).
         */
        public Builder multivariate(boolean b) {
            this.multivariate = b;
            return this;
        }

        /**
         * With multivariate: split a dynamic search space into groups of params that always occur together and sample
         * each group jointly (default false).
         */
        public Builder group(boolean b) {
            this.group = b;
            return this;
        }

        /**
         * Treat other RUNNING trials as bad ("above") so parallel workers spread out (Optuna 5.0 default true; ours
         * false, because in a sequential run it changes nothing and costs time, turn it on for parallel workers).
         */
        public Builder constantLiar(boolean b) {
            this.constantLiar = b;
            return this;
        }

        /** How mixed categorical/numeric spaces are sampled (default {@link CategoricalStrategy#CONDITIONAL}). */
        public Builder categoricalStrategy(CategoricalStrategy s) {
            this.categoricalStrategy = Objects.requireNonNull(s, "categoricalStrategy");
            return this;
        }

        /**
         * With {@link CategoricalStrategy#CONDITIONAL}: probability of choosing the categorical values uniformly at
         * random instead of by TPE (default 0.2); in [0, 1].
         */
        public Builder categoricalExploration(double p) {
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("categoricalExploration must be in [0, 1], got " + p);
            }
            this.categoricalExploration = p;
            return this;
        }

        /**
         * Extra candidates drawn from the kernel of the best trial alone, with its widths scaled by {@code scale}, and
         * scored by l(x)/g(x) together with the {@code nEiCandidates} ordinary ones. Ours defaults to 4 candidates at
         * 0.3 of the kernel width (its measured effect is in the module README); Optuna has no such step ({@code count = 0}, as in the {@code optuna*()} presets). Used for
         * single-objective studies whose learning trials are all COMPLETE. {@code count} >= 0, {@code scale} in (0, 1].
         */
        public Builder localCandidates(int count, double scale) {
            if (count < 0 || !(scale > 0 && scale <= 1)) {
                throw new IllegalArgumentException("localCandidates needs count >= 0 and scale in (0, 1], got " + count
                        + " and " + scale);
            }
            this.localCandidates = count;
            this.localScale = scale;
            return this;
        }

        /** Kernel bandwidth rule (default neighbour gaps, as Optuna 5.0; SCOTT reproduces 4.9 multivariate). */
        public Builder bandwidth(ParzenEstimator.Bandwidth b) {
            this.bandwidth = Objects.requireNonNull(b, "bandwidth");
            return this;
        }

        /** Seed of both the TPE and the start-up random generator (default: random). */
        public Builder seed(long s) {
            this.seed = s;
            return this;
        }

        public TpeSampler build() {
            return new TpeSampler(this);
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sampler contract
    // ---------------------------------------------------------------------------------------------------------

    @Override
    public synchronized Map<String, Distribution> inferRelativeSearchSpace(Study study, FrozenTrial trial) {
        if (!options.multivariate()) {
            return Map.of();
        }
        List<FrozenTrial> done = learning.forSearchSpace(study, trial);
        TreeMap<String, Distribution> space;
        if (options.group()) {
            space = GroupDecomposedSearchSpace.union(done);
        } else {
            space = history(study).intersection.update(done);
            if (space == null) {
                return Map.of();
            }
        }
        space.values().removeIf(Distribution::isSingle);
        return space;
    }

    @Override
    public synchronized Map<String, Double> sampleRelative(Study study, FrozenTrial trial,
            Map<String, Distribution> searchSpace) {
        if (searchSpace.isEmpty()) {
            return Map.of();
        }
        List<FrozenTrial> trials = learning.forRelativeSample(study, trial);
        if (LearningTrials.countFinished(trials) < options.nStartupTrials()) {
            return Map.of();
        }
        StudyHistory h = history(study);
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, Distribution> g : options.group() ? groups(study, searchSpace) : List.of(searchSpace)) {
            out.putAll(step.sample(study, h, trials, g));
        }
        if (options.constantLiar()) {
            RelativeParamsAttr.write(study, trial, out);
        }
        return out;
    }

    @Override
    public synchronized double sampleIndependent(Study study, FrozenTrial trial, String paramName,
            Distribution distribution) {
        List<FrozenTrial> trials = learning.read(study, trial);
        if (LearningTrials.countFinished(trials) < options.nStartupTrials()) {
            return random.sampleIndependent(study, trial, paramName, distribution);
        }
        Map<String, Distribution> one = new TreeMap<>();
        one.put(paramName, distribution);
        Map<String, Double> v = step.sampleJoint(study, history(study), trials, one);
        return v.get(paramName);
    }

    @Override
    public synchronized void afterTrial(Study study, FrozenTrial trial, TrialState state, List<Double> values) {
        // Nothing to do: the store stays the source of truth (several workers may share it); what this sampler caches
        // is derived from finished trials, which never change.
    }

    // ---------------------------------------------------------------------------------------------------------
    // internals (the parts live in this package: see package-info)
    // ---------------------------------------------------------------------------------------------------------

    private StudyHistory history(Study study) {
        return histories.computeIfAbsent(StudyKey.of(study), k -> new StudyHistory());
    }

    /**
     * The trials a TPE step learns from, split, and their observations {@code [param][trial]} for {@code names}.
     * {@code bestKernel} is the best trial's position among the below observations (-1 unless local candidates apply).
     */
    record Fit(List<FrozenTrial> below, List<FrozenTrial> above, double[][] belowObs, double[][] aboveObs,
            int bestKernel, int[][] belowOrders, int[][] aboveOrders) {}

    /** The fit the next relative sample of {@code current} over {@code space} would use (for tests). */
    synchronized Fit fitFor(Study study, FrozenTrial current, Map<String, Distribution> space) {
        return fitter.fit(study, history(study), learning.read(study, current), new ArrayList<>(space.keySet()), true);
    }

    /** Decomposes the space into groups of params that always occur together in the finished trials. */
    List<Map<String, Distribution>> groups(Study study, Map<String, Distribution> space) {
        return GroupDecomposedSearchSpace.groups(LearningTrials.finished(study), space);
    }

    /** The seed this sampler was built with, or null if random. */
    public Long seed() {
        return seed;
    }
}

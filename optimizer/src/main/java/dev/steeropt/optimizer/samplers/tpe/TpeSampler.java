package dev.steeropt.optimizer.samplers.tpe;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.samplers.RandomSampler;
import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.storage.InMemoryTrialStore;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
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

    private static final Set<TrialState> LEARN = EnumSet.of(TrialState.COMPLETE, TrialState.PRUNED);
    private static final Set<TrialState> LEARN_LIAR = EnumSet.of(TrialState.COMPLETE, TrialState.PRUNED,
            TrialState.RUNNING);

    private final int nStartupTrials;
    private final int nEiCandidates;
    private final IntUnaryOperator gamma;
    private final IntFunction<double[]> weights;
    private final ParzenEstimator.Parameters parzen;
    private final boolean multivariate;
    private final boolean group;
    private final boolean constantLiar;
    private final CategoricalStrategy categoricalStrategy;
    private final double categoricalExploration;
    private final Long seed;
    private final SplittableRandom rng;
    private final RandomSampler random;
    /** Internal values of finished trials, per ordered name list and trial id (finished trials never change). */
    private final Map<List<String>, Map<Long, double[]>> rowCache = new HashMap<>();

    private TpeSampler(Builder b) {
        this.nStartupTrials = b.nStartupTrials;
        this.nEiCandidates = b.nEiCandidates;
        this.gamma = b.gamma;
        this.weights = b.weights;
        this.parzen = new ParzenEstimator.Parameters(b.priorWeight, b.considerMagicClip, b.considerEndpoints,
                b.bandwidth);
        this.multivariate = b.multivariate;
        this.group = b.group;
        this.constantLiar = b.constantLiar;
        this.categoricalStrategy = b.categoricalStrategy;
        this.categoricalExploration = b.categoricalExploration;
        this.seed = b.seed;
        long s = b.seed != null ? b.seed : new SplittableRandom().nextLong();
        this.rng = new SplittableRandom(s);
        this.random = new RandomSampler(s);
    }

    /** A builder with our defaults (see {@link Builder}). */
    public static Builder builder() {
        return new Builder();
    }

    /** Optuna 5.0's default TPE: multivariate, joint kernels, constant liar, neighbour-gap bandwidths. */
    public static Builder optuna5() {
        return new Builder().multivariate(true).categoricalStrategy(CategoricalStrategy.JOINT).constantLiar(true);
    }

    /** Optuna's independent TPE (the 4.x default, and {@code multivariate=False} in 5.0). */
    public static Builder optunaIndependent() {
        return new Builder().multivariate(false).categoricalStrategy(CategoricalStrategy.JOINT).constantLiar(false);
    }

    /** Optuna 4.9's {@code multivariate=True}: joint kernels with Scott-like bandwidths. */
    public static Builder optuna49Multivariate() {
        return new Builder().multivariate(true).categoricalStrategy(CategoricalStrategy.JOINT).constantLiar(false)
                .bandwidth(ParzenEstimator.Bandwidth.SCOTT);
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
        if (!multivariate) {
            return Map.of();
        }
        List<FrozenTrial> done = study.trials(LEARN);
        TreeMap<String, Distribution> space = null;
        if (group) {
            space = new TreeMap<>();
            for (FrozenTrial t : done) {
                for (Map.Entry<String, Distribution> e : t.distributions().entrySet()) {
                    Distribution old = space.get(e.getKey());
                    if (old == null || InMemoryTrialStore.incompatibility(old, e.getValue()) == null) {
                        space.put(e.getKey(), e.getValue());
                    }
                }
            }
        } else {
            for (FrozenTrial t : done) {
                if (space == null) {
                    space = new TreeMap<>(t.distributions());
                } else {
                    space.keySet().retainAll(t.distributions().keySet());
                    space.entrySet().removeIf(e -> !e.getValue().equals(t.distributions().get(e.getKey())));
                }
            }
        }
        if (space == null) {
            return Map.of();
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
        List<FrozenTrial> trials = learningTrials(study, trial);
        if (countFinished(trials) < nStartupTrials) {
            return Map.of();
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (Map<String, Distribution> g : group ? groups(study, searchSpace) : List.of(searchSpace)) {
            out.putAll(sampleSpace(study, trials, g));
        }
        if (constantLiar) {
            writeRelativeParams(study, trial, out);
        }
        return out;
    }

    @Override
    public synchronized double sampleIndependent(Study study, FrozenTrial trial, String paramName,
            Distribution distribution) {
        List<FrozenTrial> trials = learningTrials(study, trial);
        if (countFinished(trials) < nStartupTrials) {
            return random.sampleIndependent(study, trial, paramName, distribution);
        }
        Map<String, Distribution> one = new TreeMap<>();
        one.put(paramName, distribution);
        Map<String, Double> v = sampleJoint(study, trials, one);
        return v.get(paramName);
    }

    @Override
    public synchronized void afterTrial(Study study, FrozenTrial trial, TrialState state, List<Double> values) {
        // Nothing to update: estimators are rebuilt from the store on each call, so several workers stay consistent.
    }

    // ---------------------------------------------------------------------------------------------------------
    // internals
    // ---------------------------------------------------------------------------------------------------------

    private List<FrozenTrial> learningTrials(Study study, FrozenTrial current) {
        List<FrozenTrial> all = study.trials(constantLiar ? LEARN_LIAR : LEARN);
        if (!constantLiar) {
            return all;
        }
        List<FrozenTrial> out = new ArrayList<>(all.size());
        for (FrozenTrial t : all) {
            if (t.trialId() != current.trialId()) {
                out.add(t);
            }
        }
        return out;
    }

    private static int countFinished(List<FrozenTrial> trials) {
        int n = 0;
        for (FrozenTrial t : trials) {
            if (t.state() != TrialState.RUNNING) {
                n++;
            }
        }
        return n;
    }

    private int nBelow(Study study, int n) {
        if (gamma != null) {
            return gamma.applyAsInt(n);
        }
        return study.directions().size() > 1 ? TpeDefaults.gammaMultiObjective(n) : TpeDefaults.gamma(n);
    }

    private Map<String, Double> sampleSpace(Study study, List<FrozenTrial> trials, Map<String, Distribution> space) {
        if (categoricalStrategy == CategoricalStrategy.JOINT) {
            return sampleJoint(study, trials, space);
        }
        Map<String, Distribution> cats = new TreeMap<>();
        Map<String, Distribution> nums = new TreeMap<>();
        for (Map.Entry<String, Distribution> e : space.entrySet()) {
            (e.getValue() instanceof CategoricalDistribution ? cats : nums).put(e.getKey(), e.getValue());
        }
        if (cats.isEmpty() || nums.isEmpty()) {
            return sampleJoint(study, trials, space);
        }
        Map<String, Double> chosen;
        if (rng.nextDouble() < categoricalExploration) {
            chosen = new LinkedHashMap<>();
            for (Map.Entry<String, Distribution> e : cats.entrySet()) {
                chosen.put(e.getKey(), RandomSampler.sample(rng, e.getValue()));
            }
        } else {
            chosen = sampleJoint(study, trials, cats);
        }
        List<FrozenTrial> same = new ArrayList<>();
        for (FrozenTrial t : trials) {
            Map<String, Double> v = values(t, cats);
            if (v != null && v.equals(chosen)) {
                same.add(t);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>(chosen);
        out.putAll(sampleJoint(study, same, nums));
        return out;
    }

    /** One TPE step over {@code space}, learning from {@code trials}. */
    private Map<String, Double> sampleJoint(Study study, List<FrozenTrial> trials, Map<String, Distribution> space) {
        List<String> names = new ArrayList<>(space.keySet());
        List<Distribution> dists = new ArrayList<>(space.values());
        int n = countFinished(trials);
        TpeSplit.Result split = TpeSplit.split(trials, nBelow(study, n), study.directions());
        double[][] below = observations(split.below(), space);
        double[][] above = observations(split.above(), space);
        int nb = below.length == 0 ? 0 : below[0].length;
        int na = above.length == 0 ? 0 : above[0].length;
        ParzenEstimator l = new ParzenEstimator(names, dists, below, belowWeights(study, nb), parzen);
        ParzenEstimator g = new ParzenEstimator(names, dists, above, weights.apply(na), parzen);
        double[][] cand = l.sample(rng, nEiCandidates);
        double[] ll = l.logPdf(cand);
        double[] gg = g.logPdf(cand);
        int best = 0;
        double bestScore = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < nEiCandidates; c++) {
            double s = ll[c] - gg[c];
            if (s > bestScore) {
                bestScore = s;
                best = c;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int j = 0; j < names.size(); j++) {
            out.put(names.get(j), cand[j][best]);
        }
        return out;
    }

    private double[] belowWeights(Study study, int nb) {
        if (study.directions().size() > 1) {
            double[] w = new double[nb];
            Arrays.fill(w, 1.0); // Optuna 5.0 gives every below trial weight 1 for several objectives
            return w;
        }
        return weights.apply(nb);
    }

    /** Internal values {@code [param][trial]} of the trials that have every param of {@code space}. */
    private double[][] observations(List<FrozenTrial> trials, Map<String, Distribution> space) {
        List<String> names = List.copyOf(space.keySet());
        int d = names.size();
        double[][] rows = new double[trials.size()][];
        int n = 0;
        for (FrozenTrial t : trials) {
            double[] r = row(t, names);
            if (r != null) {
                rows[n++] = r;
            }
        }
        double[][] out = new double[d][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                out[j][i] = rows[i][j];
            }
        }
        return out;
    }

    /** The trial's internal values for the params of {@code space} (a name-to-value map), or null if it lacks one. */
    private Map<String, Double> values(FrozenTrial t, Map<String, Distribution> space) {
        List<String> names = List.copyOf(space.keySet());
        double[] r = row(t, names);
        if (r == null) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        for (int j = 0; j < names.size(); j++) {
            out.put(names.get(j), r[j]);
        }
        return out;
    }

    private static final double[] MISSING = new double[0];

    /** Internal values of {@code names} in trial {@code t}; cached for finished trials, which never change. */
    private double[] row(FrozenTrial t, List<String> names) {
        boolean finished = t.state().isFinished();
        Map<Long, double[]> cache = finished ? rowCache.computeIfAbsent(names, k -> new HashMap<>()) : null;
        double[] r = cache != null ? cache.get(t.trialId()) : null;
        if (r == null) {
            Map<String, Double> liar = !finished && constantLiar ? readRelativeParams(t) : Map.of();
            r = new double[names.size()];
            for (int j = 0; j < r.length; j++) {
                String name = names.get(j);
                Distribution d = t.distributions().get(name);
                if (d != null) {
                    r[j] = d.toInternal(t.params().get(name));
                } else if (liar.containsKey(name)) {
                    r[j] = liar.get(name);
                } else {
                    r = MISSING;
                    break;
                }
            }
            if (cache != null) {
                cache.put(t.trialId(), r);
            }
        }
        return r == MISSING ? null : r;
    }

    /** Decomposes the space into groups of params that always occur together in the finished trials. */
    private List<Map<String, Distribution>> groups(Study study, Map<String, Distribution> space) {
        List<Set<String>> groups = new ArrayList<>();
        for (FrozenTrial t : study.trials(LEARN)) {
            Set<String> present = new java.util.TreeSet<>(t.distributions().keySet());
            present.retainAll(space.keySet());
            List<Set<String>> next = new ArrayList<>();
            for (Set<String> g : groups) {
                Set<String> in = new java.util.TreeSet<>(g);
                in.retainAll(present);
                Set<String> out = new java.util.TreeSet<>(g);
                out.removeAll(present);
                if (!in.isEmpty()) {
                    next.add(in);
                }
                if (!out.isEmpty()) {
                    next.add(out);
                }
                present.removeAll(g);
            }
            if (!present.isEmpty()) {
                next.add(present);
            }
            groups = next;
        }
        List<Map<String, Distribution>> out = new ArrayList<>();
        for (Set<String> g : groups) {
            Map<String, Distribution> m = new TreeMap<>();
            for (String name : g) {
                m.put(name, space.get(name));
            }
            out.add(m);
        }
        return out;
    }

    // ---- constant liar: relative params of RUNNING trials (system attrs tpe:relative_params:<i>, JSON chunks) ----

    private static final int CHUNK = 2045;
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON =
            new com.fasterxml.jackson.databind.ObjectMapper();

    private static void writeRelativeParams(Study study, FrozenTrial trial, Map<String, Double> params) {
        String json;
        try {
            json = JSON.writeValueAsString(params);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise relative params " + params, e);
        }
        for (int i = 0, k = 0; i < json.length(); i += CHUNK, k++) {
            study.store().setTrialSystemAttr(trial.trialId(), "tpe:relative_params:" + k,
                    json.substring(i, Math.min(json.length(), i + CHUNK)));
        }
    }

    private static Map<String, Double> readRelativeParams(FrozenTrial t) {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; t.systemAttrs().get("tpe:relative_params:" + k) instanceof String s; k++) {
            sb.append(s);
        }
        if (sb.length() == 0) {
            return Map.of();
        }
        try {
            Map<String, Double> out = new HashMap<>();
            JSON.readTree(sb.toString()).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
            return out;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Map.of(); // another writer's half-written chunks: ignore, as Optuna would fail to parse them too
        }
    }

    /** The seed this sampler was built with, or null if random. */
    public Long seed() {
        return seed;
    }
}

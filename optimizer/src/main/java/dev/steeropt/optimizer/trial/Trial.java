package dev.steeropt.optimizer.trial;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.storage.InMemoryTrialStore;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.study.Study;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live handle of a RUNNING trial, passed to the objective (Optuna's {@code Trial}).
 *
 * <p>{@code suggest*} follows Optuna's order (reference §2.2): a param already set in this trial is returned as is
 * (its distribution must be compatible); else an enqueued fixed value ({@code system_attrs["fixed_params"]}); else
 * the single value of a degenerate distribution; else the joint (relative) sample, computed once on first need,
 * when the name is in the relative search space and the value fits; else an independent sample. Every value is
 * stored at once. Not thread-safe: one objective call uses one trial.
 */
public final class Trial {
    private static final Logger LOG = LoggerFactory.getLogger(Trial.class);

    private final Study study;
    private final TrialStore store;
    private final long trialId;
    private final int number;
    private final Map<String, Object> fixedParams;
    private final Map<String, Double> internalParams = new LinkedHashMap<>();
    private final Map<String, Distribution> distributions = new LinkedHashMap<>();
    private final Set<Integer> reportedSteps = new HashSet<>();
    private Map<String, Distribution> relativeSpace;
    private Map<String, Double> relativeParams;

    /** Wraps the running trial {@code trialId} of {@code study}; used by {@link Study#ask()}. */
    public Trial(Study study, long trialId) {
        this.study = Objects.requireNonNull(study, "study");
        this.store = study.store();
        this.trialId = trialId;
        FrozenTrial f = store.getTrial(trialId);
        if (f.state() != TrialState.RUNNING) {
            throw new IllegalStateException("trial " + f.number() + " is " + f.state() + "; only RUNNING trials "
                    + "can be used for suggestions (ask for a new trial)");
        }
        this.number = f.number();
        for (String name : f.params().keySet()) {
            internalParams.put(name, f.internalParam(name));
            distributions.put(name, f.distributions().get(name));
        }
        reportedSteps.addAll(f.intermediateValues().keySet());
        Object fixed = f.systemAttrs().get("fixed_params");
        @SuppressWarnings("unchecked")
        Map<String, Object> fp = fixed instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        this.fixedParams = fp;
    }

    /** The 0-based trial number within the study. */
    public int number() {
        return number;
    }

    /** The storage-wide trial id. */
    public long trialId() {
        return trialId;
    }

    /** The study this trial belongs to. */
    public Study study() {
        return study;
    }

    // ---- suggestions ----

    /** A float on [low, high]. */
    public double suggestFloat(String name, double low, double high) {
        return (Double) suggest(name, FloatDistribution.of(low, high));
    }

    /** A float on [low, high], log-uniform if {@code log} (then low > 0). */
    public double suggestFloat(String name, double low, double high, boolean log) {
        return (Double) suggest(name, new FloatDistribution(low, high, log, null));
    }

    /** A float on the grid low, low+step, ... <= high. */
    public double suggestFloat(String name, double low, double high, double step) {
        return (Double) suggest(name, FloatDistribution.stepped(low, high, step));
    }

    /** An integer in [low, high]. */
    public long suggestInt(String name, long low, long high) {
        return (Long) suggest(name, IntDistribution.of(low, high));
    }

    /** An integer in [low, high] on a grid of {@code step}, log-uniform if {@code log} (then step == 1, low >= 1). */
    public long suggestInt(String name, long low, long high, long step, boolean log) {
        return (Long) suggest(name, new IntDistribution(low, high, log, step));
    }

    /** One of {@code choices} (null, Boolean, Integer/Long, Float/Double or String). */
    @SuppressWarnings("unchecked")
    public <T> T suggestCategorical(String name, List<T> choices) {
        CategoricalDistribution d = new CategoricalDistribution((List<Object>) choices);
        int index = (int) internalOf(name, d);
        return choices.get(index);
    }

    /** A value from any distribution, in external form (Double, Long or the choice). */
    public Object suggest(String name, Distribution distribution) {
        return distribution.toExternal(internalOf(name, distribution));
    }

    private double internalOf(String name, Distribution d) {
        Objects.requireNonNull(name, "name");
        Distribution old = distributions.get(name);
        if (old != null) {
            String problem = InMemoryTrialStore.incompatibility(old, d);
            if (problem != null) {
                throw new IllegalArgumentException("param '" + name + "' was already suggested in trial " + number
                        + " as " + old + "; suggesting it again as " + d + " is not allowed: " + problem);
            }
            return internalParams.get(name);
        }
        double value;
        if (fixedParams.containsKey(name)) {
            value = d.toInternal(normalise(fixedParams.get(name), d));
            if (!d.contains(value)) {
                LOG.warn("Fixed parameter '{}' with value {} is out of range for distribution {} in trial {}; "
                        + "using it anyway.", name, fixedParams.get(name), d, number);
            }
        } else if (d.isSingle()) {
            value = singleValue(d);
        } else if (isRelative(name, d)) {
            value = relativeParams.get(name);
        } else {
            value = study.sampler().sampleIndependent(study, snapshot(), name, d);
        }
        store.setTrialParam(trialId, name, value, d);
        internalParams.put(name, value);
        distributions.put(name, d);
        return value;
    }

    private static Object normalise(Object v, Distribution d) {
        // JSON round trips turn 3 into 3L or 3.0; categoricals compare choices by equality, so map numbers back.
        if (d instanceof CategoricalDistribution c && v instanceof Number n) {
            for (Object choice : c.choices()) {
                if (choice instanceof Number cn && cn.doubleValue() == n.doubleValue()) {
                    return choice;
                }
            }
        }
        return v;
    }

    private static double singleValue(Distribution d) {
        if (d instanceof FloatDistribution f) {
            return f.low();
        }
        if (d instanceof IntDistribution i) {
            return i.low();
        }
        return 0;
    }

    private boolean isRelative(String name, Distribution d) {
        if (relativeParams == null) {
            FrozenTrial snap = snapshot();
            relativeSpace = study.sampler().inferRelativeSearchSpace(study, snap);
            relativeParams = relativeSpace.isEmpty() ? Map.of()
                    : study.sampler().sampleRelative(study, snap, relativeSpace);
        }
        Double v = relativeParams.get(name);
        if (v == null) {
            return false;
        }
        Distribution rd = relativeSpace.get(name);
        if (rd == null || InMemoryTrialStore.incompatibility(rd, d) != null) {
            return false;
        }
        return d.contains(v);
    }

    /** A snapshot of this trial from the store. */
    public FrozenTrial snapshot() {
        return store.getTrial(trialId);
    }

    // ---- reports and attributes ----

    /**
     * Records the objective's intermediate value at {@code step} (>= 0) for pruning; a repeated step is ignored with a
     * warning. Refused for multi-objective studies.
     */
    public void report(int step, double value) {
        if (study.directions().size() > 1) {
            throw new UnsupportedOperationException("report() is not supported for multi-objective studies ("
                    + study.directions().size() + " objectives); pruning needs a single objective");
        }
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        if (!reportedSteps.add(step)) {
            LOG.warn("Trial {} already reported a value at step {}; ignoring the new value {}.", number, step, value);
            return;
        }
        store.setTrialIntermediateValue(trialId, step, value);
    }

    /** Asks the study's pruner whether to stop now; throw {@link dev.steeropt.optimizer.study.TrialPrunedException} if so. */
    public boolean shouldPrune() {
        if (study.directions().size() > 1) {
            throw new UnsupportedOperationException("shouldPrune() is not supported for multi-objective studies");
        }
        return study.pruner().prune(study, snapshot());
    }

    public void setUserAttr(String key, Object value) {
        store.setTrialUserAttr(trialId, key, value);
    }

    public void setSystemAttr(String key, Object value) {
        store.setTrialSystemAttr(trialId, key, value);
    }

    public Map<String, Object> userAttrs() {
        return snapshot().userAttrs();
    }

    /** The params suggested so far, in external form and suggestion order. */
    public Map<String, Object> params() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : internalParams.entrySet()) {
            out.put(e.getKey(), distributions.get(e.getKey()).toExternal(e.getValue()));
        }
        return Collections.unmodifiableMap(out);
    }

    /** The distributions suggested so far. */
    public Map<String, Distribution> distributions() {
        return Collections.unmodifiableMap(distributions);
    }
}

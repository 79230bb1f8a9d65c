package dev.steeropt.optimizer.samplers;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Explicit sweeps: every combination of the given values once (Optuna's {@code GridSampler}).
 *
 * <p>The grid is the Cartesian product of the value lists, params in sorted name order, visited in an order shuffled
 * once from the seed. When a trial starts, the sampler picks the first grid point in that order that no finished or
 * RUNNING trial of the study has taken (so workers sharing a store, built with the same seed, spread over the grid);
 * if every point is taken by a running trial it re-uses one that has not finished yet, and once every point has
 * finished it picks one at random (Optuna re-runs points too). The chosen point is recorded in the trial's system
 * attributes {@code grid_id} and {@code search_space}. When a trial finishes and no grid point is left unvisited,
 * {@link Study#stop()} is called, so {@link Study#optimize} ends as Optuna's does.
 *
 * <p>Suggesting a param that is not in the grid throws {@link IllegalArgumentException}; a grid value outside the
 * suggested distribution is used anyway, with a warning (as Optuna). Immutable configuration; calls are serialised.
 *
 * <pre>{@code
 * Map<String, List<?>> grid = new LinkedHashMap<>();
 * grid.put("layer", List.of(8, 12, 16));
 * grid.put("method", List.of("CAA", "DAC"));
 * Study study = Study.builder().sampler(new GridSampler(grid, 42)).create();
 * study.optimize(trial -> objective(trial), 100);   // stops after the 6 points
 * }</pre>
 */
public final class GridSampler implements Sampler {
    private static final Logger LOG = LoggerFactory.getLogger(GridSampler.class);
    /** System attribute holding the trial's grid point index. */
    public static final String GRID_ID = "grid_id";
    /** System attribute holding the grid (param name to values) the trial was sampled from. */
    public static final String SEARCH_SPACE = "search_space";

    private final Map<String, List<Object>> space;
    private final List<String> names;
    private final int size;
    /** order[k] = the grid id visited k-th. */
    private final int[] order;
    private final SplittableRandom rng;

    /**
     * A grid over {@code searchSpace} (param name to its values; each list non-empty), visited in an order shuffled
     * from {@code seed}. Values are null, Boolean, Number or String, as categorical choices.
     */
    public GridSampler(Map<String, ? extends List<?>> searchSpace, long seed) {
        Objects.requireNonNull(searchSpace, "searchSpace");
        if (searchSpace.isEmpty()) {
            throw new IllegalArgumentException("the grid needs at least one param, got an empty search space");
        }
        TreeMap<String, List<Object>> s = new TreeMap<>();
        long n = 1;
        for (Map.Entry<String, ? extends List<?>> e : searchSpace.entrySet()) {
            if (e.getValue() == null || e.getValue().isEmpty()) {
                throw new IllegalArgumentException("param '" + e.getKey() + "' has no grid values; give at least one");
            }
            s.put(e.getKey(), Collections.unmodifiableList(new ArrayList<>(e.getValue())));
            n *= e.getValue().size();
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("the grid has more than " + Integer.MAX_VALUE + " points");
            }
        }
        this.space = Collections.unmodifiableMap(s);
        this.names = List.copyOf(s.keySet());
        this.size = (int) n;
        this.rng = new SplittableRandom(seed);
        this.order = new int[size];
        for (int i = 0; i < size; i++) {
            order[i] = i;
        }
        SplittableRandom shuffle = new SplittableRandom(seed);
        for (int i = size - 1; i > 0; i--) { // Fisher-Yates
            int j = shuffle.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Number of grid points. */
    public int gridSize() {
        return size;
    }

    /** The grid, params in sorted order. */
    public Map<String, List<Object>> searchSpace() {
        return space;
    }

    /** The values of grid point {@code gridId}, by param name (the last param varies fastest). */
    public Map<String, Object> point(int gridId) {
        if (gridId < 0 || gridId >= size) {
            throw new IllegalArgumentException("grid id " + gridId + " is outside 0.." + (size - 1));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        int rest = gridId;
        for (int j = names.size() - 1; j >= 0; j--) {
            List<Object> values = space.get(names.get(j));
            out.put(names.get(j), values.get(rest % values.size()));
            rest /= values.size();
        }
        Map<String, Object> sorted = new LinkedHashMap<>();
        for (String name : names) {
            sorted.put(name, out.get(name));
        }
        return sorted;
    }

    @Override
    public Map<String, Distribution> inferRelativeSearchSpace(Study study, FrozenTrial trial) {
        return Map.of();
    }

    @Override
    public Map<String, Double> sampleRelative(Study study, FrozenTrial trial, Map<String, Distribution> searchSpace) {
        return Map.of();
    }

    @Override
    public synchronized void beforeTrial(Study study, FrozenTrial trial) {
        if (trial.systemAttrs().containsKey(GRID_ID)) {
            return; // enqueued with a grid point already
        }
        BitSet finished = new BitSet(size);
        BitSet running = new BitSet(size);
        taken(study, trial.trialId(), finished, running);
        int chosen = -1;
        for (int k = 0; k < size && chosen < 0; k++) {
            if (!finished.get(order[k]) && !running.get(order[k])) {
                chosen = order[k];
            }
        }
        for (int k = 0; k < size && chosen < 0; k++) {
            if (!finished.get(order[k])) {
                chosen = order[k]; // every point is being evaluated: share one that has not finished
            }
        }
        if (chosen < 0) {
            chosen = rng.nextInt(size); // the grid is exhausted; Optuna also re-runs a random point
        }
        study.store().setTrialSystemAttr(trial.trialId(), SEARCH_SPACE, space);
        study.store().setTrialSystemAttr(trial.trialId(), GRID_ID, chosen);
    }

    @Override
    public double sampleIndependent(Study study, FrozenTrial trial, String paramName, Distribution distribution) {
        List<Object> values = space.get(paramName);
        if (values == null) {
            throw new IllegalArgumentException("parameter '" + paramName + "' is not in the grid " + names
                    + "; add its values to the GridSampler's search space");
        }
        Object id = trial.systemAttrs().get(GRID_ID);
        if (!(id instanceof Number num)) {
            throw new IllegalStateException("trial " + trial.number() + " has no '" + GRID_ID + "' system attribute; "
                    + "GridSampler.beforeTrial sets it when the study asks for a trial");
        }
        Object value = point(num.intValue()).get(paramName);
        double internal = distribution.toInternal(value);
        if (!distribution.contains(internal)) {
            LOG.warn("The value {} of parameter '{}' in the grid is outside {}; using it anyway.", value, paramName,
                    distribution);
        }
        return internal;
    }

    @Override
    public synchronized void afterTrial(Study study, FrozenTrial trial, TrialState state, List<Double> values) {
        BitSet finished = new BitSet(size);
        taken(study, trial.trialId(), finished, new BitSet(size));
        if (trial.systemAttrs().get(GRID_ID) instanceof Number n && sameGrid(trial)) {
            finished.set(n.intValue()); // this trial is about to be stored as finished
        }
        if (finished.cardinality() >= size) {
            study.stop();
        }
    }

    /** Marks the grid ids of the study's other trials from this grid: finished ones and RUNNING ones. */
    private void taken(Study study, long exceptTrialId, BitSet finished, BitSet running) {
        for (FrozenTrial t : study.trials()) {
            if (t.trialId() == exceptTrialId || !(t.systemAttrs().get(GRID_ID) instanceof Number n) || !sameGrid(t)) {
                continue;
            }
            int id = n.intValue();
            if (id < 0 || id >= size) {
                continue;
            }
            if (t.state().isFinished()) {
                finished.set(id);
            } else if (t.state() == TrialState.RUNNING) {
                running.set(id);
            }
        }
    }

    /** Whether trial {@code t} was sampled from this grid (numbers compared by value, as JSON may change their type). */
    private boolean sameGrid(FrozenTrial t) {
        return t.systemAttrs().get(SEARCH_SPACE) instanceof Map<?, ?> m && sameJson(m, space);
    }

    private static boolean sameJson(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return x.doubleValue() == y.doubleValue();
        }
        if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
            if (!x.keySet().equals(y.keySet())) {
                return false;
            }
            for (Object k : x.keySet()) {
                if (!sameJson(x.get(k), y.get(k))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof List<?> x && b instanceof List<?> y) {
            if (x.size() != y.size()) {
                return false;
            }
            for (int i = 0; i < x.size(); i++) {
                if (!sameJson(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return Objects.equals(a, b);
    }
}

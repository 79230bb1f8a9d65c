package dev.steeropt.optimizer.study;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.pruners.MedianPruner;
import dev.steeropt.optimizer.pruners.Pruner;
import dev.steeropt.optimizer.samplers.Sampler;
import dev.steeropt.optimizer.samplers.tpe.TpeSampler;
import dev.steeropt.optimizer.storage.DuplicatedStudyException;
import dev.steeropt.optimizer.storage.InMemoryTrialStore;
import dev.steeropt.optimizer.storage.TrialStore;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.Trial;
import dev.steeropt.optimizer.trial.TrialState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * A study: one optimisation run over a {@link TrialStore} (Optuna's {@code Study}).
 *
 * <p>Create one with {@link #builder()}, or load an existing one with {@link #load}. Use either the ask/tell interface
 * ({@link #ask()}, {@link #tell(Trial, double...)}) or {@link #optimize}, which loops ask, objective, tell. A throwing
 * objective makes the trial FAIL with the error stored in the system attribute {@code fail_reason}; a NaN (or a
 * wrong number of values) is also FAIL, never a made-up value; {@link TrialPrunedException} makes it PRUNED. Each
 * finished trial logs one INFO line. Several threads or processes may share a study through a shared store.
 */
public final class Study {
    private static final Logger LOG = LoggerFactory.getLogger(Study.class);
    private static final Set<TrialState> FINISHED_OK = EnumSet.of(TrialState.COMPLETE);

    private final TrialStore store;
    private final long studyId;
    private final String name;
    private final List<StudyDirection> directions;
    private final Sampler sampler;
    private final Pruner pruner;
    private final BiConsumer<Study, FrozenTrial> staleTrialCallback;
    private volatile boolean stopRequested;

    private Study(TrialStore store, long studyId, String name, List<StudyDirection> directions, Sampler sampler,
            Pruner pruner, BiConsumer<Study, FrozenTrial> staleTrialCallback) {
        this.store = store;
        this.studyId = studyId;
        this.name = name;
        this.directions = List.copyOf(directions);
        this.sampler = sampler;
        this.pruner = pruner;
        this.staleTrialCallback = staleTrialCallback;
    }

    /** A builder for creating (or, with {@code loadIfExists}, resuming) a study. */
    public static Builder builder() {
        return new Builder();
    }

    /** Loads the existing study {@code name} from {@code store}, with the given sampler and pruner. */
    public static Study load(TrialStore store, String name, Sampler sampler, Pruner pruner) {
        long id = store.getStudyId(name);
        List<StudyDirection> dirs = store.getStudyDirections(id);
        return new Study(store, id, name, dirs, sampler != null ? sampler : defaultSampler(dirs),
                pruner != null ? pruner : new MedianPruner(), null);
    }

    private static Sampler defaultSampler(List<StudyDirection> dirs) {
        return TpeSampler.builder().build();
    }

    /**
     * Study options. Defaults: an {@link InMemoryTrialStore}, a generated name {@code no-name-<uuid>}, one MINIMIZE
     * direction, our default {@link TpeSampler}, a {@link MedianPruner}, and failing on a duplicate name.
     */
    public static final class Builder {
        private TrialStore store;
        private String name;
        private List<StudyDirection> directions = List.of(StudyDirection.MINIMIZE);
        private Sampler sampler;
        private Pruner pruner;
        private boolean loadIfExists;
        private BiConsumer<Study, FrozenTrial> staleTrialCallback;

        private Builder() {}

        public Builder store(TrialStore s) {
            this.store = Objects.requireNonNull(s, "store");
            return this;
        }

        public Builder name(String n) {
            this.name = Objects.requireNonNull(n, "name");
            return this;
        }

        public Builder direction(StudyDirection d) {
            this.directions = List.of(Objects.requireNonNull(d, "direction"));
            return this;
        }

        public Builder directions(List<StudyDirection> d) {
            if (d.isEmpty()) {
                throw new IllegalArgumentException("a study needs at least one direction, got none");
            }
            this.directions = List.copyOf(d);
            return this;
        }

        public Builder sampler(Sampler s) {
            this.sampler = Objects.requireNonNull(s, "sampler");
            return this;
        }

        public Builder pruner(Pruner p) {
            this.pruner = Objects.requireNonNull(p, "pruner");
            return this;
        }

        /** Resume a study of the same name if it exists; its stored directions win (Optuna's load_if_exists). */
        public Builder loadIfExists(boolean b) {
            this.loadIfExists = b;
            return this;
        }

        /**
         * Called with each trial that {@link Study#optimize} finds stale (heartbeat expired) and marks FAIL, e.g. a
         * {@link RetryFailedTrialCallback}.
         */
        public Builder staleTrialCallback(BiConsumer<Study, FrozenTrial> cb) {
            this.staleTrialCallback = cb;
            return this;
        }

        /** Creates the study in the store (or loads it, see {@link #loadIfExists}). */
        public Study create() {
            TrialStore s = store != null ? store : new InMemoryTrialStore();
            String n = name != null ? name : "no-name-" + UUID.randomUUID();
            List<StudyDirection> dirs = directions;
            long id;
            try {
                id = s.createStudy(n, dirs);
            } catch (DuplicatedStudyException e) {
                if (!loadIfExists) {
                    throw e;
                }
                id = s.getStudyId(n);
                dirs = s.getStudyDirections(id);
                LOG.info("Using an existing study with name '{}' instead of creating a new one.", n);
            }
            return new Study(s, id, n, dirs, sampler != null ? sampler : defaultSampler(dirs),
                    pruner != null ? pruner : new MedianPruner(), staleTrialCallback);
        }
    }

    // ---- accessors ----

    public TrialStore store() {
        return store;
    }

    public long studyId() {
        return studyId;
    }

    public String name() {
        return name;
    }

    public List<StudyDirection> directions() {
        return directions;
    }

    /** The single direction; throws for multi-objective studies. */
    public StudyDirection direction() {
        if (directions.size() != 1) {
            throw new IllegalStateException("study '" + name + "' has " + directions.size()
                    + " objectives; use directions()");
        }
        return directions.get(0);
    }

    public Sampler sampler() {
        return sampler;
    }

    public Pruner pruner() {
        return pruner;
    }

    /** Snapshots of the study's trials in number order, optionally only in {@code states} (null = all). */
    public List<FrozenTrial> trials(Set<TrialState> states) {
        return store.getAllTrials(studyId, states);
    }

    /** Every trial, in number order. */
    public List<FrozenTrial> trials() {
        return store.getAllTrials(studyId, null);
    }

    public void setUserAttr(String key, Object value) {
        store.setStudyUserAttr(studyId, key, value);
    }

    public Map<String, Object> userAttrs() {
        return store.getStudyUserAttrs(studyId);
    }

    public void setSystemAttr(String key, Object value) {
        store.setStudySystemAttr(studyId, key, value);
    }

    public Map<String, Object> systemAttrs() {
        return store.getStudySystemAttrs(studyId);
    }

    // ---- best ----

    /** The best COMPLETE trial (single objective); throws {@link IllegalStateException} if there is none. */
    public FrozenTrial bestTrial() {
        return store.getBestTrial(studyId);
    }

    public double bestValue() {
        return bestTrial().value();
    }

    public Map<String, Object> bestParams() {
        return bestTrial().params();
    }

    /**
     * The Pareto front of the COMPLETE trials: those no other COMPLETE trial dominates (at least as good in every
     * objective and better in one). For one objective, every trial with the best value.
     */
    public List<FrozenTrial> bestTrials() {
        List<FrozenTrial> done = trials(FINISHED_OK);
        List<FrozenTrial> front = new ArrayList<>();
        for (FrozenTrial a : done) {
            boolean dominated = false;
            for (FrozenTrial b : done) {
                if (b != a && dominates(b.values(), a.values(), directions)) {
                    dominated = true;
                    break;
                }
            }
            if (!dominated) {
                front.add(a);
            }
        }
        return front;
    }

    /** Whether {@code a} Pareto-dominates {@code b} under {@code dirs}. */
    public static boolean dominates(List<Double> a, List<Double> b, List<StudyDirection> dirs) {
        boolean strictly = false;
        for (int i = 0; i < dirs.size(); i++) {
            double x = a.get(i);
            double y = b.get(i);
            if (dirs.get(i) == StudyDirection.MAXIMIZE) {
                x = -x;
                y = -y;
            }
            if (x > y) {
                return false;
            }
            if (x < y) {
                strictly = true;
            }
        }
        return strictly;
    }

    // ---- ask / tell ----

    /** A new trial: the oldest WAITING (enqueued) trial if another worker has not taken it, else a new RUNNING one. */
    public Trial ask() {
        long trialId = -1;
        for (FrozenTrial w : store.getAllTrials(studyId, EnumSet.of(TrialState.WAITING))) {
            if (store.setTrialStateValues(w.trialId(), TrialState.RUNNING, null)) {
                trialId = w.trialId();
                break;
            }
        }
        if (trialId < 0) {
            trialId = store.createTrial(studyId, null);
        }
        Trial t = new Trial(this, trialId);
        sampler.beforeTrial(this, t.snapshot());
        return t;
    }

    /** {@link #ask()}, then suggests every entry of {@code fixedDistributions} in its iteration order. */
    public Trial ask(Map<String, Distribution> fixedDistributions) {
        Trial t = ask();
        for (Map.Entry<String, Distribution> e : fixedDistributions.entrySet()) {
            t.suggest(e.getKey(), e.getValue());
        }
        return t;
    }

    /**
     * Finishes a trial with objective values: COMPLETE when they are finite-or-infinite numbers (not NaN) and one per
     * direction, otherwise FAIL with the reason in {@code fail_reason} (a warning is logged).
     */
    public FrozenTrial tell(Trial trial, double... values) {
        return tell(trial.number(), null, values);
    }

    /** Finishes a trial in {@code state} (COMPLETE needs values; PRUNED and FAIL take none). */
    public FrozenTrial tell(Trial trial, TrialState state) {
        return tell(trial.number(), state, null);
    }

    /**
     * Finishes trial {@code number}. {@code state == null} means "COMPLETE if the values are valid, else FAIL".
     * The trial must be RUNNING; COMPLETE with invalid values throws {@link IllegalArgumentException}.
     */
    public FrozenTrial tell(int number, TrialState state, double[] values) {
        long trialId = store.getTrialId(studyId, number);
        FrozenTrial f = store.getTrial(trialId);
        if (f.state() != TrialState.RUNNING) {
            throw new IllegalStateException("cannot tell trial " + number + ": it is " + f.state()
                    + ", and only RUNNING trials can be told (each trial is told exactly once)");
        }
        String problem = values == null ? "no values were given" : validate(values);
        List<Double> vals = null;
        if (state == null) {
            state = problem == null ? TrialState.COMPLETE : TrialState.FAIL;
            if (problem != null) {
                String reason = "The value " + (values == null ? "null" : java.util.Arrays.toString(values))
                        + " could not be used as the objective: " + problem + ".";
                store.setTrialSystemAttr(trialId, "fail_reason", reason);
                LOG.warn("Trial {} failed, because {}", number, reason);
            }
        }
        switch (state) {
            case COMPLETE -> {
                if (problem != null) {
                    throw new IllegalArgumentException("cannot tell trial " + number + " COMPLETE: " + problem
                            + " (expected " + directions.size() + " non-NaN value(s))");
                }
                vals = new ArrayList<>(values.length);
                for (double v : values) {
                    vals.add(v);
                }
            }
            case PRUNED -> {
                if (!f.intermediateValues().isEmpty()) {
                    double last = f.intermediateValues().get(f.intermediateValues().lastKey());
                    if (!Double.isNaN(last)) {
                        vals = List.of(last);
                    }
                }
            }
            case FAIL -> vals = null;
            default -> throw new IllegalArgumentException("tell takes COMPLETE, PRUNED or FAIL, got " + state);
        }
        sampler.afterTrial(this, f, state, vals);
        store.setTrialStateValues(trialId, state, vals);
        FrozenTrial done = store.getTrial(trialId);
        logFinished(done);
        return done;
    }

    private String validate(double[] values) {
        if (values.length != directions.size()) {
            return "the study has " + directions.size() + " objective(s) but " + values.length
                    + " value(s) were given";
        }
        for (double v : values) {
            if (Double.isNaN(v)) {
                return "it is NaN";
            }
        }
        return null;
    }

    private void logFinished(FrozenTrial t) {
        if (!LOG.isInfoEnabled()) {
            return;
        }
        switch (t.state()) {
            case COMPLETE -> {
                if (directions.size() == 1) {
                    FrozenTrial best = bestTrial();
                    LOG.info("Trial {} finished with value: {} and parameters: {}. Best is trial {} with value: {}.",
                            t.number(), t.value(), t.params(), best.number(), best.value());
                } else {
                    LOG.info("Trial {} finished with values: {} and parameters: {}.", t.number(), t.values(),
                            t.params());
                }
            }
            case PRUNED -> LOG.info("Trial {} pruned.", t.number());
            default -> { } // FAIL is logged where the reason is known
        }
    }

    // ---- enqueue ----

    /**
     * Adds a WAITING trial whose params are fixed to {@code params} (system attr {@code fixed_params}); the next
     * {@link #ask()} pops it. With {@code skipIfExists}, nothing is added if some trial already has (or is enqueued
     * with) the same params: same names, numbers equal within 1e-9 relative (NaN equal to NaN). Returns whether a trial
     * was added.
     */
    public boolean enqueueTrial(Map<String, Object> params, Map<String, Object> userAttrs, boolean skipIfExists) {
        Map<String, Object> p = new LinkedHashMap<>(params);
        if (skipIfExists) {
            for (FrozenTrial t : trials()) {
                Object fixed = t.systemAttrs().get("fixed_params");
                Map<?, ?> existing = fixed instanceof Map<?, ?> m ? m : t.params();
                if (sameParams(p, existing)) {
                    LOG.info("Trial {} has the same params as the one to enqueue; not enqueued again.", t.number());
                    return false;
                }
            }
        }
        FrozenTrial template = new FrozenTrial(0, 0, TrialState.WAITING, null, null, null, Map.of(), Map.of(),
                userAttrs == null ? Map.of() : userAttrs, Map.of("fixed_params", p), null);
        store.createTrial(studyId, template);
        return true;
    }

    private static boolean sameParams(Map<String, Object> a, Map<?, ?> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, Object> e : a.entrySet()) {
            Object x = e.getValue();
            Object y = b.get(e.getKey());
            if (x instanceof Number nx && y instanceof Number ny) {
                double dx = nx.doubleValue();
                double dy = ny.doubleValue();
                boolean close = (Double.isNaN(dx) && Double.isNaN(dy)) || dx == dy
                        || Math.abs(dx - dy) <= 1e-9 * Math.max(Math.abs(dx), Math.abs(dy));
                if (!close) {
                    return false;
                }
            } else if (!Objects.equals(x, y)) {
                return false;
            }
        }
        return true;
    }

    // ---- optimize ----

    /** Asks a running {@link #optimize} loop to stop after the current trial. */
    public void stop() {
        stopRequested = true;
    }

    /** {@link #optimizeMulti} for a single objective. */
    public void optimize(Objective objective, int nTrials) {
        optimizeMulti(t -> new double[] {objective.evaluate(t)}, nTrials, null, List.of(), List.of());
    }

    /** {@link #optimizeMulti} for a single objective. */
    public void optimize(Objective objective, int nTrials, Duration timeout, List<Class<? extends Throwable>> catchList,
            List<StudyCallback> callbacks) {
        optimizeMulti(t -> new double[] {objective.evaluate(t)}, nTrials, timeout, catchList, callbacks);
    }

    /**
     * Runs ask, objective, tell until {@code nTrials} trials ran (0 = no limit), {@code timeout} passed (null = none)
     * or {@link #stop()} was called; at least one limit is needed. Before each trial, stale trials are failed (see
     * {@link TrialStore#failStaleTrials}); while the objective runs, a daemon thread writes heartbeats if the store has
     * them enabled. An objective exception fails the trial and is rethrown unless an instance of a {@code catchList}
     * class (checked exceptions are wrapped in {@link ObjectiveException}).
     */
    public void optimizeMulti(MultiObjective objective, int nTrials, Duration timeout,
            List<Class<? extends Throwable>> catchList, List<StudyCallback> callbacks) {
        if (nTrials <= 0 && timeout == null) {
            throw new IllegalArgumentException("optimize needs nTrials > 0 or a timeout; got nTrials=" + nTrials
                    + " and no timeout (use stop() from a callback for open-ended runs with a timeout)");
        }
        stopRequested = false;
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        MDC.put("study", name);
        try {
            for (int i = 0; nTrials <= 0 || i < nTrials; i++) {
                if (stopRequested || System.nanoTime() >= deadline) {
                    break;
                }
                failStale();
                FrozenTrial done = runTrial(objective, catchList);
                for (StudyCallback cb : callbacks) {
                    cb.afterTrial(this, done);
                }
            }
        } finally {
            MDC.remove("study");
        }
    }

    private void failStale() {
        List<Long> failed = store.failStaleTrials(studyId);
        if (staleTrialCallback != null) {
            for (long id : failed) {
                staleTrialCallback.accept(this, store.getTrial(id));
            }
        }
    }

    private FrozenTrial runTrial(MultiObjective objective, List<Class<? extends Throwable>> catchList) {
        Trial trial = ask();
        MDC.put("trial", Integer.toString(trial.number()));
        Heartbeat hb = Heartbeat.start(store, trial.trialId());
        try {
            double[] values;
            try {
                values = objective.evaluate(trial);
            } catch (TrialPrunedException e) {
                return tell(trial.number(), TrialState.PRUNED, null);
            } catch (Exception | Error e) {
                String reason = e.getClass().getName() + ": " + e.getMessage();
                store.setTrialSystemAttr(trial.trialId(), "fail_reason", reason);
                LOG.warn("Trial {} failed with parameters: {} because of the following error: {}", trial.number(),
                        trial.params(), reason, e);
                FrozenTrial failed = tell(trial.number(), TrialState.FAIL, null);
                for (Class<? extends Throwable> c : catchList) {
                    if (c.isInstance(e)) {
                        return failed;
                    }
                }
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                if (e instanceof Error err) {
                    throw err;
                }
                throw new ObjectiveException(trial.number(), e);
            }
            return tell(trial.number(), null, values);
        } finally {
            hb.stop();
            MDC.remove("trial");
        }
    }
}

package dev.steeropt.optimizer.storage;

import dev.steeropt.optimizer.distributions.CategoricalDistribution;
import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.distributions.FloatDistribution;
import dev.steeropt.optimizer.distributions.IntDistribution;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * A {@link TrialStore} that keeps everything in the JVM heap (Optuna's {@code InMemoryStorage}).
 *
 * <p>Thread-safe: every method holds the store's monitor, so writes are atomic and trial numbers are gap-free.
 * Reads return immutable {@link FrozenTrial} snapshots; a snapshot is built once per trial version and reused until
 * the trial changes, so repeated {@link #getAllTrials} calls by a sampler cost a list copy, not a rebuild. Attribute
 * values are deep-copied on write (lists and maps become unmodifiable), so later changes by the caller do not leak in.
 * Nothing survives the JVM; heartbeats are not supported (there is no other process whose death could be observed).
 */
public final class InMemoryTrialStore implements TrialStore {

    private final Clock clock;
    private final Map<Long, StudyData> studies = new TreeMap<>();
    private final Map<Long, TrialData> trials = new HashMap<>();
    private long nextStudyId;
    private long nextTrialId;

    /** A store that stamps trials with the system UTC clock. */
    public InMemoryTrialStore() {
        this(Clock.systemUTC());
    }

    /** A store that stamps trials with {@code clock} (tests inject a fixed clock). */
    public InMemoryTrialStore(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    // ---- studies ----

    @Override
    public synchronized long createStudy(String studyName, List<StudyDirection> directions) {
        Objects.requireNonNull(studyName, "studyName");
        Objects.requireNonNull(directions, "directions");
        if (directions.isEmpty() || directions.stream().anyMatch(Objects::isNull)) {
            throw new IllegalArgumentException("a study needs at least one non-null direction, got " + directions
                    + "; pass List.of(StudyDirection.MINIMIZE) for a single minimised objective");
        }
        for (StudyData s : studies.values()) {
            if (s.name.equals(studyName)) {
                throw new DuplicatedStudyException(studyName);
            }
        }
        long id = nextStudyId++;
        studies.put(id, new StudyData(id, studyName, List.copyOf(directions)));
        return id;
    }

    @Override
    public synchronized void deleteStudy(long studyId) {
        StudyData s = study(studyId);
        for (TrialData t : s.trials) {
            trials.remove(t.trialId);
        }
        studies.remove(studyId);
    }

    @Override
    public synchronized Optional<Long> findStudyId(String studyName) {
        for (StudyData s : studies.values()) {
            if (s.name.equals(studyName)) {
                return Optional.of(s.id);
            }
        }
        return Optional.empty();
    }

    @Override
    public synchronized String getStudyName(long studyId) {
        return study(studyId).name;
    }

    @Override
    public synchronized List<StudyDirection> getStudyDirections(long studyId) {
        return study(studyId).directions;
    }

    @Override
    public synchronized Map<String, Object> getStudyUserAttrs(long studyId) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(study(studyId).userAttrs));
    }

    @Override
    public synchronized Map<String, Object> getStudySystemAttrs(long studyId) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(study(studyId).systemAttrs));
    }

    @Override
    public synchronized void setStudyUserAttr(long studyId, String key, Object value) {
        study(studyId).userAttrs.put(Objects.requireNonNull(key, "key"), JsonValues.deepCopy(value));
    }

    @Override
    public synchronized void setStudySystemAttr(long studyId, String key, Object value) {
        study(studyId).systemAttrs.put(Objects.requireNonNull(key, "key"), JsonValues.deepCopy(value));
    }

    @Override
    public synchronized List<StudySummary> getAllStudies() {
        List<StudySummary> out = new ArrayList<>(studies.size());
        for (StudyData s : studies.values()) {
            Instant earliest = null;
            for (TrialData t : s.trials) {
                if (t.datetimeStart != null && (earliest == null || t.datetimeStart.isBefore(earliest))) {
                    earliest = t.datetimeStart;
                }
            }
            out.add(new StudySummary(s.id, s.name, s.directions, s.trials.size(), earliest, s.userAttrs));
        }
        return List.copyOf(out);
    }

    // ---- trials ----

    @Override
    public synchronized long createTrial(long studyId, FrozenTrial template) {
        StudyData s = study(studyId);
        TrialData t = new TrialData(nextTrialId, s.id, s.trials.size());
        if (template == null) {
            t.state = TrialState.RUNNING;
            t.datetimeStart = clock.instant();
        } else {
            for (Map.Entry<String, Distribution> e : template.distributions().entrySet()) {
                checkCompatible(s, e.getKey(), e.getValue());
            }
            t.state = template.state();
            t.values = template.values();
            t.datetimeStart = template.datetimeStart();
            if (t.datetimeStart == null && t.state != TrialState.WAITING) {
                t.datetimeStart = clock.instant();
            }
            t.datetimeComplete = template.datetimeComplete();
            if (t.datetimeComplete == null && t.state.isFinished()) {
                t.datetimeComplete = clock.instant();
            }
            for (Map.Entry<String, Distribution> e : template.distributions().entrySet()) {
                String name = e.getKey();
                Distribution d = e.getValue();
                double internal = d.toInternal(template.params().get(name));
                t.params.put(name, d.toExternal(internal));
                t.distributions.put(name, d);
                s.paramDistributions.putIfAbsent(name, d);
            }
            template.userAttrs().forEach((k, v) -> t.userAttrs.put(k, JsonValues.deepCopy(v)));
            template.systemAttrs().forEach((k, v) -> t.systemAttrs.put(k, JsonValues.deepCopy(v)));
            t.intermediate.putAll(template.intermediateValues());
        }
        nextTrialId++;
        trials.put(t.trialId, t);
        s.trials.add(t);
        s.snapshot = null;
        return t.trialId;
    }

    @Override
    public synchronized long getTrialId(long studyId, int number) {
        StudyData s = study(studyId);
        if (number < 0 || number >= s.trials.size()) {
            throw new RecordNotFoundException("study '" + s.name + "' has no trial number " + number + " (it has "
                    + s.trials.size() + " trials, numbered 0.." + (s.trials.size() - 1) + ")", false);
        }
        return s.trials.get(number).trialId;
    }

    @Override
    public synchronized long getStudyIdOfTrial(long trialId) {
        return trial(trialId).studyId;
    }

    @Override
    public synchronized void setTrialParam(long trialId, String paramName, double internalValue,
            Distribution distribution) {
        Objects.requireNonNull(paramName, "paramName");
        Objects.requireNonNull(distribution, "distribution");
        TrialData t = updatable(trialId);
        StudyData s = study(t.studyId);
        checkCompatible(s, paramName, distribution);
        t.params.put(paramName, distribution.toExternal(internalValue));
        t.distributions.put(paramName, distribution);
        s.paramDistributions.putIfAbsent(paramName, distribution);
        touched(t);
    }

    @Override
    public synchronized boolean setTrialStateValues(long trialId, TrialState state, List<Double> values) {
        Objects.requireNonNull(state, "state");
        TrialData t = updatable(trialId);
        if (state == TrialState.RUNNING && t.state != TrialState.WAITING) {
            return false;
        }
        t.state = state;
        if (values != null) {
            t.values = List.copyOf(values);
        }
        if (state == TrialState.RUNNING) {
            t.datetimeStart = clock.instant();
        }
        if (state.isFinished()) {
            t.datetimeComplete = clock.instant();
        }
        touched(t);
        return true;
    }

    @Override
    public synchronized void setTrialIntermediateValue(long trialId, int step, double value) {
        if (step < 0) {
            throw new IllegalArgumentException("intermediate step must be >= 0, got " + step);
        }
        TrialData t = updatable(trialId);
        t.intermediate.put(step, value);
        touched(t);
    }

    @Override
    public synchronized void setTrialUserAttr(long trialId, String key, Object value) {
        TrialData t = updatable(trialId);
        t.userAttrs.put(Objects.requireNonNull(key, "key"), JsonValues.deepCopy(value));
        touched(t);
    }

    @Override
    public synchronized void setTrialSystemAttr(long trialId, String key, Object value) {
        TrialData t = updatable(trialId);
        t.systemAttrs.put(Objects.requireNonNull(key, "key"), JsonValues.deepCopy(value));
        touched(t);
    }

    @Override
    public synchronized FrozenTrial getTrial(long trialId) {
        return trial(trialId).frozen();
    }

    @Override
    public synchronized List<FrozenTrial> getAllTrials(long studyId, Set<TrialState> states) {
        StudyData s = study(studyId);
        if (s.snapshot == null) {
            List<FrozenTrial> all = new ArrayList<>(s.trials.size());
            for (TrialData t : s.trials) {
                all.add(t.frozen());
            }
            s.snapshot = Collections.unmodifiableList(all);
        }
        if (states == null) {
            return s.snapshot;
        }
        List<FrozenTrial> out = new ArrayList<>();
        for (FrozenTrial f : s.snapshot) {
            if (states.contains(f.state())) {
                out.add(f);
            }
        }
        return Collections.unmodifiableList(out);
    }

    @Override
    public synchronized int getNTrials(long studyId, Set<TrialState> states) {
        StudyData s = study(studyId);
        if (states == null) {
            return s.trials.size();
        }
        int n = 0;
        for (TrialData t : s.trials) {
            if (states.contains(t.state)) {
                n++;
            }
        }
        return n;
    }

    // ---- helpers ----

    private StudyData study(long studyId) {
        StudyData s = studies.get(studyId);
        if (s == null) {
            throw new RecordNotFoundException("no study with id " + studyId + " in this in-memory store (ids here: "
                    + studies.keySet() + "); it may have been deleted", false);
        }
        return s;
    }

    private TrialData trial(long trialId) {
        TrialData t = trials.get(trialId);
        if (t == null) {
            throw new RecordNotFoundException("no trial with id " + trialId + " in this in-memory store; "
                    + "it may belong to a deleted study", false);
        }
        return t;
    }

    private TrialData updatable(long trialId) {
        TrialData t = trial(trialId);
        if (t.state.isFinished()) {
            throw new UpdateFinishedTrialException(t.number, t.state);
        }
        return t;
    }

    private void touched(TrialData t) {
        t.frozen = null;
        StudyData s = studies.get(t.studyId);
        if (s != null) {
            s.snapshot = null;
        }
    }

    /** Optuna's {@code check_distribution_compatibility} against the study's first use of the name. */
    static void checkCompatible(StudyData s, String name, Distribution d) {
        Distribution old = s.paramDistributions.get(name);
        if (old == null) {
            return;
        }
        String problem = incompatibility(old, d);
        if (problem != null) {
            throw new IllegalArgumentException("parameter '" + name + "' of study '" + s.name + "' was first used with "
                    + old + " and now with " + d + ": " + problem + ". Use a new parameter name, or keep the kind, "
                    + "log flag and choices of the first use");
        }
    }

    /** Why two distributions of one name cannot share a study, or {@code null} if they can. */
    public static String incompatibility(Distribution old, Distribution d) {
        if (old.getClass() != d.getClass()) {
            return "the kind differs (" + old.getClass().getSimpleName() + " vs " + d.getClass().getSimpleName() + ")";
        }
        if (old instanceof FloatDistribution a && a.log() != ((FloatDistribution) d).log()) {
            return "the log flag differs";
        }
        if (old instanceof IntDistribution a && a.log() != ((IntDistribution) d).log()) {
            return "the log flag differs";
        }
        if (old instanceof CategoricalDistribution a && !a.choices().equals(((CategoricalDistribution) d).choices())) {
            return "the choices differ";
        }
        return null;
    }

    private static final class StudyData {
        final long id;
        final String name;
        final List<StudyDirection> directions;
        final Map<String, Object> userAttrs = new LinkedHashMap<>();
        final Map<String, Object> systemAttrs = new LinkedHashMap<>();
        final Map<String, Distribution> paramDistributions = new HashMap<>();
        final List<TrialData> trials = new ArrayList<>();
        List<FrozenTrial> snapshot;

        StudyData(long id, String name, List<StudyDirection> directions) {
            this.id = id;
            this.name = name;
            this.directions = directions;
        }
    }

    private static final class TrialData {
        final long trialId;
        final long studyId;
        final int number;
        TrialState state;
        List<Double> values;
        Instant datetimeStart;
        Instant datetimeComplete;
        final Map<String, Object> params = new LinkedHashMap<>();
        final Map<String, Distribution> distributions = new LinkedHashMap<>();
        final Map<String, Object> userAttrs = new LinkedHashMap<>();
        final Map<String, Object> systemAttrs = new LinkedHashMap<>();
        final TreeMap<Integer, Double> intermediate = new TreeMap<>();
        FrozenTrial frozen;

        TrialData(long trialId, long studyId, int number) {
            this.trialId = trialId;
            this.studyId = studyId;
            this.number = number;
        }

        FrozenTrial frozen() {
            if (frozen == null) {
                frozen = new FrozenTrial(trialId, number, state, values, datetimeStart, datetimeComplete, params,
                        distributions, userAttrs, systemAttrs, intermediate);
            }
            return frozen;
        }
    }
}

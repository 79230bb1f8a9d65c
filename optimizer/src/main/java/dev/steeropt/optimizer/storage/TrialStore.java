package dev.steeropt.optimizer.storage;

import dev.steeropt.optimizer.distributions.Distribution;
import dev.steeropt.optimizer.study.StudyDirection;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where studies and trials live: Optuna's {@code BaseStorage} contract.
 *
 * <p>Guarantees every implementation gives (checked by one contract test suite run against each backend):
 * <ul>
 *   <li>thread-safe, and safe across processes where the backend is shared (SQLite file, PostgreSQL);</li>
 *   <li>trial numbers are unique and gap-free per study, in creation order;</li>
 *   <li>a returned {@link FrozenTrial} is a snapshot: later writes do not change it;</li>
 *   <li>a finished trial (COMPLETE, PRUNED, FAIL) is immutable: any write to it throws
 *       {@link UpdateFinishedTrialException};</li>
 *   <li>a write that returns has been made durable (committed) for persistent backends.</li>
 * </ul>
 * Ids are storage-wide; missing ids or names throw {@link StorageException} naming them.
 */
public interface TrialStore extends AutoCloseable {

    // ---- studies ----

    /** Creates a study; throws {@link DuplicatedStudyException} if the name exists. Returns the study id. */
    long createStudy(String studyName, List<StudyDirection> directions);

    /** Deletes a study and all its trials. */
    void deleteStudy(long studyId);

    /** The id of the study with this name, if any. */
    Optional<Long> findStudyId(String studyName);

    /** The id of the study with this name; throws {@link StorageException} naming the known studies if absent. */
    default long getStudyId(String studyName) {
        return findStudyId(studyName).orElseThrow(() -> StorageException.studyNotFound(studyName,
                getAllStudies().stream().map(StudySummary::studyName).toList()));
    }

    String getStudyName(long studyId);

    List<StudyDirection> getStudyDirections(long studyId);

    Map<String, Object> getStudyUserAttrs(long studyId);

    Map<String, Object> getStudySystemAttrs(long studyId);

    /** Upserts a JSON-compatible study user attribute. */
    void setStudyUserAttr(long studyId, String key, Object value);

    /** Upserts a JSON-compatible study system attribute. */
    void setStudySystemAttr(long studyId, String key, Object value);

    /** Every study, in id order. */
    List<StudySummary> getAllStudies();

    // ---- trials ----

    /**
     * Creates a trial and returns its id. With {@code template == null} the trial is RUNNING with a start time now;
     * otherwise it copies the template's state, values, params, attributes and intermediate values (used by
     * enqueue, which creates WAITING trials, and by {@code addTrial}). The number is assigned by the store.
     */
    long createTrial(long studyId, FrozenTrial template);

    /** The id of trial {@code number} of a study. */
    long getTrialId(long studyId, int number);

    /** The study a trial belongs to. */
    long getStudyIdOfTrial(long trialId);

    /**
     * Records a parameter value (internal form). Throws {@link IllegalArgumentException} if the study already has
     * this parameter with an incompatible distribution (another kind, another {@code log}, other choices).
     */
    void setTrialParam(long trialId, String paramName, double internalValue, Distribution distribution);

    /**
     * Moves a trial to {@code state}, storing {@code values} (may be null). Setting RUNNING succeeds only from
     * WAITING and returns {@code false} if another worker already took the trial; a finished state records the
     * completion time. Throws {@link UpdateFinishedTrialException} on a finished trial.
     */
    boolean setTrialStateValues(long trialId, TrialState state, List<Double> values);

    /** Records the value reported at {@code step} (NaN and infinities allowed). */
    void setTrialIntermediateValue(long trialId, int step, double value);

    void setTrialUserAttr(long trialId, String key, Object value);

    void setTrialSystemAttr(long trialId, String key, Object value);

    FrozenTrial getTrial(long trialId);

    /** Trials of a study in number order, optionally only those in {@code states} ({@code null} = all). */
    List<FrozenTrial> getAllTrials(long studyId, Set<TrialState> states);

    default int getNTrials(long studyId, Set<TrialState> states) {
        return getAllTrials(studyId, states).size();
    }

    /**
     * The best COMPLETE trial of a single-objective study (the first, by number, among equals); throws
     * {@link IllegalStateException} if there is none.
     */
    default FrozenTrial getBestTrial(long studyId) {
        List<StudyDirection> dirs = getStudyDirections(studyId);
        if (dirs.size() != 1) {
            throw new IllegalStateException("best trial is defined for single-objective studies; this one has "
                    + dirs.size() + " objectives (use the Pareto front)");
        }
        Comparator<FrozenTrial> byValue = Comparator.comparingDouble(FrozenTrial::value);
        if (dirs.get(0) == StudyDirection.MAXIMIZE) {
            byValue = byValue.reversed();
        }
        return getAllTrials(studyId, Set.of(TrialState.COMPLETE)).stream()
                .min(byValue.thenComparingInt(FrozenTrial::number))
                .orElseThrow(() -> new IllegalStateException("study " + getStudyName(studyId)
                        + " has no COMPLETE trial yet"));
    }

    // ---- heartbeats (persistent backends; the in-memory store has no other process to watch) ----

    /** Writes "this trial is alive now". No-op where heartbeats are not supported. */
    default void recordHeartbeat(long trialId) {}

    /**
     * Marks FAIL every RUNNING trial of the study whose last heartbeat is older than the grace period, and returns
     * the ids of the trials this call failed. Trials that never wrote a heartbeat are left alone.
     */
    default List<Long> failStaleTrials(long studyId) {
        return List.of();
    }

    /** Heartbeat interval in seconds if heartbeats are enabled. */
    default Optional<Integer> heartbeatIntervalSeconds() {
        return Optional.empty();
    }

    @Override
    default void close() {}
}

package dev.steeropt.optimizer.study;

import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Re-enqueues a trial that was failed as stale, with the same params, distributions and user attributes (Optuna's
 * {@code RetryFailedTrialCallback}, renamed {@code RetryHeartbeatStaleTrialCallback} in 4.9). The new WAITING trial's
 * system attributes are the old ones plus {@code failed_trial} (number of the first failed trial, kept across retries)
 * and {@code retry_history} (numbers of every failed attempt, oldest first). Install it with
 * {@link Study.Builder#staleTrialCallback}.
 */
public final class RetryFailedTrialCallback implements BiConsumer<Study, FrozenTrial> {
    private final Integer maxRetry;
    private final boolean inheritIntermediateValues;

    /**
     * @param maxRetry                  retry at most this many times (null = without limit); >= 0
     * @param inheritIntermediateValues copy the failed trial's intermediate values into the retry
     */
    public RetryFailedTrialCallback(Integer maxRetry, boolean inheritIntermediateValues) {
        if (maxRetry != null && maxRetry < 0) {
            throw new IllegalArgumentException("maxRetry must be >= 0 or null, got " + maxRetry);
        }
        this.maxRetry = maxRetry;
        this.inheritIntermediateValues = inheritIntermediateValues;
    }

    @Override
    public void accept(Study study, FrozenTrial trial) {
        retry(study, trial);
    }

    /**
     * Enqueues the retry of {@code trial} as {@link #accept} does, and says whether it did: false when the trial's
     * lineage already had {@code maxRetry} retries ({@code len(retry_history) > max_retry} in Optuna), so nothing was
     * enqueued.
     */
    public boolean retry(Study study, FrozenTrial trial) {
        Map<String, Object> sys = new LinkedHashMap<>();
        sys.put("failed_trial", trial.number());
        sys.put("retry_history", List.of());
        sys.putAll(trial.systemAttrs());
        List<Object> history = new ArrayList<>();
        if (sys.get("retry_history") instanceof List<?> h) {
            history.addAll(h);
        }
        history.add(trial.number());
        sys.put("retry_history", history);
        if (maxRetry != null && maxRetry < history.size()) {
            return false;
        }
        FrozenTrial retry = new FrozenTrial(0, 0, TrialState.WAITING, null, null, null, trial.params(),
                trial.distributions(), trial.userAttrs(), sys,
                inheritIntermediateValues ? trial.intermediateValues() : null);
        study.store().createTrial(study.studyId(), retry);
        return true;
    }

    /** The bound on retries per lineage, or null for none. */
    public Integer maxRetry() {
        return maxRetry;
    }

    /** The number of the first failed trial a retry descends from, or null if {@code trial} is not a retry. */
    public static Integer retriedTrialNumber(FrozenTrial trial) {
        return trial.systemAttrs().get("failed_trial") instanceof Number n ? n.intValue() : null;
    }

    /** The numbers of the failed attempts before {@code trial}, oldest first (empty if it is not a retry). */
    public static List<Integer> retryHistory(FrozenTrial trial) {
        List<Integer> out = new ArrayList<>();
        if (trial.systemAttrs().get("retry_history") instanceof List<?> h) {
            for (Object o : h) {
                out.add(((Number) o).intValue());
            }
        }
        return out;
    }
}

package dev.steeropt.studies.manager;

import dev.steeropt.optimizer.study.RetryFailedTrialCallback;
import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;
import dev.steeropt.optimizer.trial.TrialState;
import dev.steeropt.studies.errors.UserFacingException;
import dev.steeropt.studies.store.TrialQuota;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The retries of a process's failed trials, with Optuna's retry callback ({@link RetryFailedTrialCallback}): a FAIL
 * trial frees its quota slot and its params are enqueued again as a WAITING trial with the system attributes
 * {@code failed_trial} (the first failed trial of the lineage) and {@code retry_history} (every failed attempt), at
 * most {@code maxRetry} times per lineage. A trial lost with its process is retried the same way; when its retries
 * run out it is dropped with a warning (a dead process says nothing about the params). A trial whose objective failed
 * (it threw, or returned NaN) with no retry left stops the run: the process that saw it records the reason in the
 * study ({@link #STOP_ATTR_PREFIX} + run id), so every process of the run stops before its next trial, and exits 1
 * with that reason.
 */
final class TrialRetries {
    private static final Logger LOG = LoggerFactory.getLogger(TrialRetries.class);

    /** Study system attribute (followed by the run id) holding why a run stopped: retries ran out. */
    static final String STOP_ATTR_PREFIX = "steeropt:retries_exhausted:";

    private final int maxRetry;
    private final RetryFailedTrialCallback callback;

    /** @param maxRetry retries per lineage of params; >= 0 */
    TrialRetries(int maxRetry) {
        if (maxRetry < 0) {
            throw new IllegalArgumentException("maxRetry must be >= 0, got " + maxRetry);
        }
        this.maxRetry = maxRetry;
        this.callback = new RetryFailedTrialCallback(maxRetry, true);
    }

    int maxRetry() {
        return maxRetry;
    }

    /**
     * The stale-trial callback: re-enqueues the params of a trial failed because its process died, or warns that
     * its lineage has no retry left.
     */
    void retryLost(Study study, FrozenTrial lost) {
        if (!retry(study, lost)) {
            LOG.warn("Trial {} was lost with its process and its params {} were retried {} times already (--max-retry"
                    + " {}); they are not retried again.", lost.number(), lost.params(), maxRetry, maxRetry);
        }
    }

    /**
     * After a trial this process finished: a FAIL trial's params are enqueued again; if none is left, the run is
     * marked stopped and this throws.
     *
     * @throws UserFacingException (exit 1) naming the trial, its params, its lineage and its error, when the trial
     *                             failed with no retry left
     */
    void afterTrial(Study study, FrozenTrial done, TrialQuota quota) {
        if (done.state() != TrialState.FAIL || retry(study, done)) {
            return;
        }
        String reason = exhausted(done);
        study.setSystemAttr(STOP_ATTR_PREFIX + quota.runId(), reason);
        throw UserFacingException.runtime(reason, null, FIX, null);
    }

    /**
     * Stops this process if another process of its run has marked the run stopped.
     *
     * @throws UserFacingException (exit 1) with the reason the other process recorded
     */
    void requireRunGoing(Study study, TrialQuota quota) {
        Object reason = study.systemAttrs().get(STOP_ATTR_PREFIX + quota.runId());
        if (reason != null) {
            throw UserFacingException.runtime(String.valueOf(reason), "(recorded by a process of this run, which stopped;"
                    + " so does this one)", FIX, null);
        }
    }

    private static final String FIX = "Fix the cause (each failure is logged with its stack trace as a warning), or"
            + " raise --max-retry if the failures are transient.";

    /** What stopped the run, in one sentence. */
    private String exhausted(FrozenTrial failed) {
        List<Integer> lineage = new ArrayList<>(RetryFailedTrialCallback.retryHistory(failed));
        lineage.add(failed.number());
        return "Trial " + failed.number() + " failed with params " + failed.params() + " and its params have no retry left"
                + " (attempts: trials " + lineage + ", --max-retry " + maxRetry + "): "
                + failed.systemAttrs().getOrDefault("fail_reason", "no reason recorded");
    }

    /**
     * Enqueues the retry of a FAIL trial; false if its lineage has no retry left. The retry does not inherit the
     * marks of the failure ({@code fail_reason}, {@link TrialQuota#LOST_ATTR}): it holds a slot like any trial, and if
     * it fails, it fails for its own reason.
     */
    private boolean retry(Study study, FrozenTrial failed) {
        Map<String, Object> sys = new LinkedHashMap<>(failed.systemAttrs());
        sys.remove("fail_reason");
        sys.remove(TrialQuota.LOST_ATTR);
        return callback.retry(study, new FrozenTrial(failed.trialId(), failed.number(), failed.state(), failed.values(),
                failed.datetimeStart(), failed.datetimeComplete(), failed.params(), failed.distributions(),
                failed.userAttrs(), sys, failed.intermediateValues()));
    }
}

package dev.steeropt.studies.store;

import java.util.Objects;

/**
 * The trials one run may start in a study, and the tags each of its trials gets. A slot is reserved when a trial
 * becomes RUNNING (created, or a WAITING one taken), in the same transaction and under the study's write lock, so the
 * limits hold exactly across any number of processes and machines. A slot is held by every COMPLETE, PRUNED and
 * RUNNING trial; a FAIL trial frees its slot, whether its objective failed or its process died ({@link #LOST_ATTR}),
 * and its params are retried a bounded number of times (see {@code StudyManager#search}), so the limits count the
 * trials that did not fail.
 *
 * @param runId     the run (one {@code optimize} command and its workers) whose trials {@code runTrials} counts
 * @param process   the process starting the trials, as recorded in {@link TrialProcess#ATTR}
 * @param runTrials the run's trials ({@code --n-trials}), shared by its processes; >= 1
 * @param maxTrials the study's trials over every run ({@code --max-trials}), or null for no cap
 */
public record TrialQuota(String runId, String process, int runTrials, Integer maxTrials) {
    /** Trial system attribute naming the run a trial belongs to. */
    public static final String RUN_ATTR = "steeropt:run";
    /** Trial system attribute set on a trial failed because its process died (the reason), beside {@code fail_reason}. */
    public static final String LOST_ATTR = "steeropt:lost";

    public TrialQuota {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(process, "process");
        if (runTrials < 1 || (maxTrials != null && maxTrials < 1)) {
            throw new IllegalArgumentException("need runTrials >= 1 and maxTrials >= 1 or null, got " + runTrials
                    + " and " + maxTrials);
        }
    }

    /** Thrown when a trial would exceed the quota; nothing was written. */
    public static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /** @param what which limit was reached */
        public Exhausted(String what) {
            super(what);
        }
    }
}

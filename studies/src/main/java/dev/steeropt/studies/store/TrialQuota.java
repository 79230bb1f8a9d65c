package dev.steeropt.studies.store;

import java.util.Objects;

/**
 * The trials one run may start in a study, and the tags each of its trials gets. A slot is reserved when a trial
 * becomes RUNNING (created, or a WAITING one taken), in the same transaction and under the study's write lock, so the
 * limits hold exactly across any number of processes and machines. A slot is held by every COMPLETE, PRUNED and
 * RUNNING trial and by a trial whose objective failed (as in Optuna; a failing objective cannot loop forever); a trial
 * failed because its process died ({@link #LOST_ATTR}) frees its slot, and its params are retried.
 *
 * @param runId     the run (one {@code optimize} command and its workers) whose trials {@code runTrials} counts
 * @param process   the process starting the trials, as recorded in {@link TrialProcess#ATTR}
 * @param runTrials the run's trials ({@code --n-trials}), shared by its processes; >= 1
 * @param maxTrials the study's trials over every run ({@code --max-trials}), or null for no cap
 */
public record TrialQuota(String runId, String process, int runTrials, Integer maxTrials) {
    /** Trial system attribute naming the run a trial belongs to. */
    public static final String RUN_ATTR = "steeropt:run";
    /** Trial system attribute set on a trial failed because its process died (the reason). */
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

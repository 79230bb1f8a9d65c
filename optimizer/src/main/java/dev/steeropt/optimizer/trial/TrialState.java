package dev.steeropt.optimizer.trial;

/** Trial life cycle, with Optuna's names (stored by name in the database). */
public enum TrialState {
    RUNNING,
    COMPLETE,
    PRUNED,
    FAIL,
    WAITING;

    /** COMPLETE, PRUNED and FAIL are final: a finished trial is never changed again. */
    public boolean isFinished() {
        return this == COMPLETE || this == PRUNED || this == FAIL;
    }
}

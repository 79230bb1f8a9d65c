package dev.steeropt.optimizer.storage;

/** A write to a trial that is already COMPLETE, PRUNED or FAIL (Optuna's UpdateFinishedTrialError). */
public final class UpdateFinishedTrialException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public UpdateFinishedTrialException(int number, Object state) {
        super("trial " + number + " is already " + state + " and cannot be changed");
    }
}

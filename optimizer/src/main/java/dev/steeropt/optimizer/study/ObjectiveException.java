package dev.steeropt.optimizer.study;

/**
 * A checked exception thrown by an objective and not listed as caught; the trial is already recorded as FAIL with the
 * reason, and {@link Study#optimize} rethrows this wrapper with the original as its cause.
 */
public final class ObjectiveException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ObjectiveException(int trialNumber, Throwable cause) {
        super("objective failed in trial " + trialNumber + ": " + cause, cause);
    }
}

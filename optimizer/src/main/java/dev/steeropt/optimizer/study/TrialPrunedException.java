package dev.steeropt.optimizer.study;

/**
 * Thrown by an objective to say "this trial was pruned" (Optuna's {@code TrialPruned}); {@link Study#optimize} then
 * records the trial as PRUNED with its last intermediate value. The only way to prune.
 */
public class TrialPrunedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrialPrunedException() {
        super("trial pruned");
    }

    public TrialPrunedException(String message) {
        super(message);
    }
}

package dev.steeropt.optimizer.pruners;

/**
 * Prunes a trial whose best intermediate value is worse than the median of the COMPLETE trials at the same step:
 * a {@link PercentilePruner} at 50 (Optuna's {@code MedianPruner}, the study default).
 *
 * <p>Defaults (Optuna's): {@code nStartupTrials = 5}, {@code nWarmupSteps = 0}, {@code intervalSteps = 1},
 * {@code nMinTrials = 1}.
 */
public final class MedianPruner extends PercentilePruner {
    /** Optuna's defaults (5, 0, 1, 1). */
    public MedianPruner() {
        this(5, 0, 1, 1);
    }

    /** See {@link PercentilePruner#PercentilePruner(double, int, int, int, int)} for each argument's meaning. */
    public MedianPruner(int nStartupTrials, int nWarmupSteps, int intervalSteps, int nMinTrials) {
        super(50.0, nStartupTrials, nWarmupSteps, intervalSteps, nMinTrials);
    }
}

package dev.steeropt.optimizer.pruners;

import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;

/**
 * Decides whether a running trial should stop early, from its intermediate values and those of the study's other
 * trials (Optuna's {@code BasePruner}). Called through {@code Trial.shouldPrune()}, never by user code directly.
 */
@FunctionalInterface
public interface Pruner {
    /** Whether {@code trial} (a snapshot of the running trial) should be pruned now. */
    boolean prune(Study study, FrozenTrial trial);
}

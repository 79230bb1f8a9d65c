package dev.steeropt.optimizer.pruners;

import dev.steeropt.optimizer.study.Study;
import dev.steeropt.optimizer.trial.FrozenTrial;

/** Never prunes (Optuna's {@code NopPruner}). */
public final class NopPruner implements Pruner {
    @Override
    public boolean prune(Study study, FrozenTrial trial) {
        return false;
    }
}

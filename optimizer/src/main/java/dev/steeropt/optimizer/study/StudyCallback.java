package dev.steeropt.optimizer.study;

import dev.steeropt.optimizer.trial.FrozenTrial;

/** Called by {@link Study#optimize} after each finished trial, with a snapshot of it (Optuna's callbacks). */
@FunctionalInterface
public interface StudyCallback {
    void afterTrial(Study study, FrozenTrial trial);
}

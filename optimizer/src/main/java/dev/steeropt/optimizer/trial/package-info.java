/**
 * Trials: the live {@link dev.steeropt.optimizer.trial.Trial} handle an objective suggests params through, the
 * immutable {@link dev.steeropt.optimizer.trial.FrozenTrial} snapshot, and the trial states.
 */
package dev.steeropt.optimizer.trial;

package dev.steeropt.optimizer.study;

import dev.steeropt.optimizer.trial.Trial;

/** A single-objective function: suggests params through the trial, returns the value to optimise. */
@FunctionalInterface
public interface Objective {
    double evaluate(Trial trial) throws Exception;
}

package dev.steeropt.optimizer.study;

import dev.steeropt.optimizer.trial.Trial;

/** A multi-objective function: one value per study direction, in direction order. */
@FunctionalInterface
public interface MultiObjective {
    double[] evaluate(Trial trial) throws Exception;
}

/**
 * The sampler benchmark of the Optuna reference (§8): sample quality and ask+tell latency on branin, hartmann6 and
 * steer5, written in the {@code optuna-baseline/v1} JSON shape.
 */
package dev.steeropt.optimizer.bench;

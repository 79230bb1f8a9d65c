/**
 * The sampler contract (relative search space, joint sample, independent sample), the random sampler and the grid
 * sampler for explicit sweeps; TPE lives in {@code samplers.tpe}, NSGA-II in {@code samplers.ga}.
 */
package dev.steeropt.optimizer.samplers;

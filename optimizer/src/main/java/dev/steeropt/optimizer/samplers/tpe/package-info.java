/**
 * Tree-structured Parzen Estimator: the sampler and its builder, the Parzen estimator, truncated-normal maths, the
 * below/above split and Optuna's default gamma and weights. Golden-tested against Optuna 5.0 and 4.9 fixtures.
 */
package dev.steeropt.optimizer.samplers.tpe;

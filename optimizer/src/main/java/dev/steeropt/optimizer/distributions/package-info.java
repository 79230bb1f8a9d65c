/**
 * Parameter distributions (float, int, categorical) with Optuna's internal representation and its
 * {@code distribution_json} format, validated on construction.
 */
package dev.steeropt.optimizer.distributions;

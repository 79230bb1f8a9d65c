/**
 * Pruners: one predicate on (study, running trial) deciding whether to stop it early. Median, percentile and no-op
 * pruners with Optuna's exact decision rules.
 */
package dev.steeropt.optimizer.pruners;

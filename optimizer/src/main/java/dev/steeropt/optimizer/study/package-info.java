/**
 * The study: creating and loading studies, the ask/tell interface, the optimize loop (failure handling, heartbeats,
 * stale-trial retries) and best-trial queries, following Optuna's {@code optuna.study}.
 */
package dev.steeropt.optimizer.study;

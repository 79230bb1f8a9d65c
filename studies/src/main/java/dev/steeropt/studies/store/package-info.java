/**
 * Persistent trial stores: where the {@code steeropt} CLI and every worker process keep studies and trials.
 *
 * <p>{@link dev.steeropt.studies.store.TrialStores#open(String, StoreOptions)} turns an Optuna-style storage URL
 * ({@code sqlite:///steeropt.db}, {@code postgresql://user:pass@host/db}, or a plain {@code jdbc:} URL, see
 * {@link dev.steeropt.studies.store.StorageUrl}) into a {@link dev.steeropt.optimizer.storage.TrialStore} backed by
 * {@link dev.steeropt.studies.store.jdbc.JdbcTrialStore}. The database layout is Optuna's (schema v3.2.0.a), so
 * Optuna, optuna-dashboard and SteerOpt can read each other's studies.
 */
package dev.steeropt.studies.store;

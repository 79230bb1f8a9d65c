/**
 * Where studies and trials live: the {@link dev.steeropt.optimizer.storage.TrialStore} contract (Optuna's
 * {@code BaseStorage}) and its in-memory implementation. Persistent stores (SQLite, PostgreSQL) live in the
 * {@code studies} module and run the same contract test suite, {@code TrialStoreContract}, from this module's test-jar.
 */
package dev.steeropt.optimizer.storage;

/**
 * The JDBC trial store: Optuna's relational schema (v3.2.0.a) on SQLite and PostgreSQL.
 *
 * <p>{@link dev.steeropt.studies.store.jdbc.JdbcTrialStore} implements the optimizer's
 * {@link dev.steeropt.optimizer.storage.TrialStore} contract; {@link dev.steeropt.studies.store.jdbc.Dialect} holds
 * what differs between the databases (locking, time, connections) and {@link dev.steeropt.studies.store.jdbc.Queries}
 * all SQL text, one instance per dialect. {@link dev.steeropt.studies.store.jdbc.ReadOnlyQuery} runs user SQL over a
 * connection the database itself keeps read-only.
 */
package dev.steeropt.studies.store.jdbc;

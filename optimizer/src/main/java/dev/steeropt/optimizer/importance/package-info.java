/**
 * Parameter importances of a finished study, as Optuna's {@code optuna.importance}:
 * {@link dev.steeropt.optimizer.importance.PedAnovaImportanceEvaluator} (Optuna 5's default) and
 * {@link dev.steeropt.optimizer.importance.FanovaImportanceEvaluator} (Optuna 4's default, over our own random
 * forest), picked by {@link dev.steeropt.optimizer.importance.ImportanceMethod} and normalised by
 * {@link dev.steeropt.optimizer.importance.ParamImportances}.
 */
package dev.steeropt.optimizer.importance;

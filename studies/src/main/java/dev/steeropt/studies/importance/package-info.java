/**
 * Parameter importances as the service, the dashboard, {@code plot --kind importance} and {@code optimize}'s
 * artifacts use them: the {@link dev.steeropt.studies.importance.ParamImportance} interface, filled by a placeholder
 * until the optimizer module's evaluators are wired in.
 */
package dev.steeropt.studies.importance;

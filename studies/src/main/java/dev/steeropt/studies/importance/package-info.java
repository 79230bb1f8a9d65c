/**
 * Parameter importances as the service, the dashboard, {@code plot --kind importance} and {@code optimize}'s
 * artifacts use them: {@link dev.steeropt.studies.importance.ObjectiveImportance} runs the optimizer module's
 * evaluators on one objective of a study.
 */
package dev.steeropt.studies.importance;

/**
 * The multi-objective side of {@code optimize --objectives accuracy,tokens}: the validation Pareto front, the
 * pre-registered selection of the configuration(s) to test, their single test evaluation (accuracy and tokens, with
 * Holm-corrected p-values for {@code --test-also}), and the front's artifacts.
 */
package dev.steeropt.studies.pipeline.multi;

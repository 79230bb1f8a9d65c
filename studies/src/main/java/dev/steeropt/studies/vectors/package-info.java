/**
 * Steering-vector inputs for the pipeline: the two contrast-pair builders over GSM8K text
 * ({@link dev.steeropt.studies.vectors.PairBuilders}), and residual reads and CAA vectors that go through the
 * activation cache ({@link dev.steeropt.studies.vectors.CachedActivations},
 * {@link dev.steeropt.studies.vectors.CachedCaa}).
 */
package dev.steeropt.studies.vectors;

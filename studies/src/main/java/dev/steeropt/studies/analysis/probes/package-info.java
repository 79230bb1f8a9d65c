/**
 * Layer-wise linear probes on cached residual-stream activations: a {@link dev.steeropt.studies.analysis.probes.ProbeSet}
 * of labelled, grouped examples, cross-validated logistic regressions per layer on class-balanced data
 * ({@link dev.steeropt.studies.analysis.probes.CrossValidatedProbes}), a per-model, per-family
 * {@link dev.steeropt.studies.analysis.probes.ProbeReport} and its chart
 * ({@link dev.steeropt.studies.analysis.probes.ProbePlot}). {@code analyze probes} and {@code optimize --layers auto}
 * both use them.
 */
package dev.steeropt.studies.analysis.probes;

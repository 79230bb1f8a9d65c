/**
 * Linear probes of correctness on cached activations: per-layer logistic regression
 * ({@link dev.steeropt.studies.probes.LayerProbes}), Mann-Whitney AUC ({@link dev.steeropt.studies.probes.Auc}), a
 * JSON {@link dev.steeropt.studies.probes.ProbeReport} with the {@code --layers auto} choice
 * ({@link dev.steeropt.studies.probes.ProbeReport#topLayersByAuc}), and its PNG plot
 * ({@link dev.steeropt.studies.probes.ProbePlot}). {@link dev.steeropt.studies.probes.ProbeRun} reads train and
 * validation activations through the activation cache and trains the probes in one call.
 */
package dev.steeropt.studies.probes;

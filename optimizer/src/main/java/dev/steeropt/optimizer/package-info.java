/**
 * SteerOpt's optimiser: an Optuna-compatible study, trial, sampler, pruner and storage model in plain Java.
 *
 * <pre>{@code
 * Study study = Study.builder().name("steer").sampler(TpeSampler.builder().seed(0).build()).create();
 * study.optimize(trial -> {
 *     long layer = trial.suggestInt("layer", 0, 23);
 *     double alpha = trial.suggestFloat("alpha", -4, 4);
 *     String method = trial.suggestCategorical("method", List.of("CAA", "DAC"));
 *     return evaluate(layer, alpha, method);   // throw TrialPrunedException to prune
 * }, 200);
 * FrozenTrial best = study.bestTrial();
 * }</pre>
 *
 * Packages: {@code study} (Study, ask/tell/optimize), {@code trial} (Trial, FrozenTrial), {@code distributions},
 * {@code samplers} and {@code samplers.tpe}, {@code pruners}, {@code storage} (TrialStore contract, in-memory store),
 * {@code bench} (the sampler benchmark).
 */
package dev.steeropt.optimizer;

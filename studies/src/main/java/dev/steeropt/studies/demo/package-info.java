/**
 * The demo models: the synthetic data they are trained on ({@link dev.steeropt.studies.demo.DemoData}), the demo world
 * of a base and two fine-tunes ({@link dev.steeropt.studies.demo.DemoWorld}), their greedy evaluation per difficulty
 * ({@link dev.steeropt.studies.demo.DemoEvaluation}), and the two fine-tunes shipped in the jar, extracted on first
 * use by {@link dev.steeropt.studies.demo.DemoModel#directory()}.
 */
package dev.steeropt.studies.demo;

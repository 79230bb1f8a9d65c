/**
 * The embedded demo model: the synthetic data it is trained on ({@link dev.steeropt.studies.demo.DemoData}), its
 * greedy evaluation per difficulty ({@link dev.steeropt.studies.demo.DemoEvaluation}), and the copy shipped in the
 * jar, extracted on first use by {@link dev.steeropt.studies.demo.EmbeddedModel#directory()}.
 */
package dev.steeropt.studies.demo;

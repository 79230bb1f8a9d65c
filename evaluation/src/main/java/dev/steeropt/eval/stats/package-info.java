/**
 * Statistics for comparing a steered arm with the baseline on the same items: {@link
 * dev.steeropt.eval.stats.Accuracy} with a {@link dev.steeropt.eval.stats.WilsonInterval}, the
 * {@link dev.steeropt.eval.stats.ExactMcNemar} test, a seeded {@link dev.steeropt.eval.stats.PairedBootstrap} interval
 * of the accuracy difference, the {@link dev.steeropt.eval.stats.MinimumDetectableEffect} of a paired test, and
 * {@link dev.steeropt.eval.stats.GenerationStats} (length and reasoning markers) of a run.
 *
 * <p>Arms are passed as per-item correctness vectors in the same item order. Everything is deterministic given the seed.
 */
package dev.steeropt.eval.stats;

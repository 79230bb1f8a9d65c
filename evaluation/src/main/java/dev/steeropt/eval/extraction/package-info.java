/**
 * Final-answer extraction and normalisation: the lm-evaluation-harness GSM8K filters
 * ({@link dev.steeropt.eval.extraction.Gsm8kExtractors}, {@link dev.steeropt.eval.extraction.Gsm8kNormalizer}) and
 * MATH-style {@code \boxed{}} answers ({@link dev.steeropt.eval.extraction.BoxedAnswerExtractor},
 * {@link dev.steeropt.eval.extraction.LatexAnswerNormalizer}).
 *
 * <p>All classes are stateless and thread-safe; normalisation is idempotent.
 */
package dev.steeropt.eval.extraction;

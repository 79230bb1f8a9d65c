/**
 * The {@code optimize} stages ({@link dev.steeropt.studies.pipeline.OptimizePipeline}): model and data, leak-free
 * splits, CAA vectors from train (cached), the search on validation with prefilled prompt prefixes reused across
 * trials ({@link dev.steeropt.studies.pipeline.PromptChunks}), the single test evaluation
 * ({@link dev.steeropt.studies.pipeline.TestEvaluation}), and the prefix-reuse benchmark.
 */
package dev.steeropt.studies.pipeline;

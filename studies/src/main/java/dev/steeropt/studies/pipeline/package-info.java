/**
 * The {@code optimize} stages ({@link dev.steeropt.studies.pipeline.OptimizePipeline}): model and data, leak-free
 * splits, CAA vectors from train (cached), the search on validation with prefilled prompt prefixes reused across
 * trials ({@link dev.steeropt.studies.pipeline.PromptChunks}), the single test evaluation
 * ({@link dev.steeropt.studies.pipeline.TestEvaluation}), the records its artifacts are written from
 * ({@link dev.steeropt.studies.pipeline.BestConfiguration}, {@link dev.steeropt.studies.pipeline.FinalResults},
 * {@link dev.steeropt.studies.pipeline.ControlVectorExport}), and the prefix-reuse benchmark.
 */
package dev.steeropt.studies.pipeline;

/**
 * Datasets as lists of {@link dev.steeropt.eval.datasets.Problem}: GSM8K and MATH-500 read strictly from local JSON
 * Lines under a data directory ({@link dev.steeropt.eval.datasets.DatasetFile} gives the layout), optionally fetched
 * once from the Hugging Face hub by {@link dev.steeropt.eval.datasets.HubDownloader}.
 *
 * <p>{@link dev.steeropt.eval.datasets.Datasets#load} is the single entry point by name and split. A malformed line
 * fails with its file and line number; nothing is skipped. {@link dev.steeropt.eval.datasets.QuestionCorruption}
 * turns a problem into its corrupted twin (one number of the question changed, the answer recomputed).
 */
package dev.steeropt.eval.datasets;

/**
 * What the representation analyses read: greedy or sampled, graded completions
 * ({@link dev.steeropt.studies.analysis.reads.Completions}) and residual-stream rows at a
 * {@link dev.steeropt.studies.analysis.reads.ReadMode} ({@link dev.steeropt.studies.analysis.reads.ResidualReads}).
 */
package dev.steeropt.studies.analysis.reads;

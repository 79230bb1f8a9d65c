/**
 * The logit lens of {@code analyze logit-lens}: {@link dev.steeropt.studies.analysis.lens.LogitLens} reads every
 * layer through the model's own head; {@link dev.steeropt.studies.analysis.lens.LogitLensCommand} runs it on items,
 * an ids file or a text.
 */
package dev.steeropt.studies.analysis.lens;

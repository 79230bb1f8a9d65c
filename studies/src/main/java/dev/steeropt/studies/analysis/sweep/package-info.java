/**
 * {@code analyze sweep}: the inverse-direction test, a layers × strengths grid stored as a resumable study, its cell
 * statistics, the four hypotheses' verdicts ({@link dev.steeropt.studies.analysis.sweep.SweepReport}) and the
 * reasoning counters of a completion.
 */
package dev.steeropt.studies.analysis.sweep;

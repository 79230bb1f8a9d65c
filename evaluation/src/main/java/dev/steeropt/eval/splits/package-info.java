/**
 * Leak-free splits: {@link dev.steeropt.eval.splits.SplitPlan#draw} ranks items by a seeded SHA-256 of their id and
 * records train, validation and test as {@link dev.steeropt.eval.splits.Split} id lists with hashes. Construction
 * checks that the splits are disjoint, so a few-shot exemplar or search item never reaches the final evaluation.
 */
package dev.steeropt.eval.splits;

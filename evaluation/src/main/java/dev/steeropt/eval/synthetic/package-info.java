/**
 * Synthetic grade-school word problems in GSM8K's format: {@link dev.steeropt.eval.synthetic.SyntheticGenerator}
 * (seeded, deterministic per item, difficulty = number of operations) and
 * {@link dev.steeropt.eval.synthetic.SyntheticDataset} (unique questions, split like GSM8K, JSONL export). Used to train
 * and test a tiny demo model end to end without downloading anything.
 */
package dev.steeropt.eval.synthetic;

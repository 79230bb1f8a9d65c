/**
 * Grading: {@link dev.steeropt.eval.scoring.Grader} turns (problem, completion) into a
 * {@link dev.steeropt.eval.scoring.Grade} with strict and flexible verdicts ({@link dev.steeropt.eval.scoring.Graders}
 * per dataset), and {@link dev.steeropt.eval.scoring.PredictionScorer} scores a predictions file into a
 * {@link dev.steeropt.eval.scoring.ScoreResult}, the engine of {@code steeropt score}.
 */
package dev.steeropt.eval.scoring;

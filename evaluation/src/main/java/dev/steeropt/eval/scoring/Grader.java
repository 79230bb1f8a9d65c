package dev.steeropt.eval.scoring;

import dev.steeropt.eval.datasets.Problem;

/** Grades one completion against a problem's gold final answer. Implementations are stateless and thread-safe. */
@FunctionalInterface
public interface Grader {

    /**
     * @param problem    the item, whose {@link Problem#goldAnswer()} is the reference
     * @param completion the generated text (may be empty, never {@code null})
     */
    Grade grade(Problem problem, String completion);
}

package dev.steeropt.eval.extraction;

import java.util.Optional;

/**
 * Pulls a candidate final answer out of a model completion. Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface AnswerExtractor {

    /**
     * @param completion the generated text (never {@code null})
     * @return the extracted answer, stripped, or empty when the completion holds none (lm-evaluation-harness would
     *         report {@code "[invalid]"})
     */
    Optional<String> extract(String completion);
}

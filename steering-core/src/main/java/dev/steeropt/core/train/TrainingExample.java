package dev.steeropt.core.train;

import java.util.Objects;

/**
 * One training sequence: the prompt (no loss) and the answer the model learns to continue it with (loss on every
 * answer token and on the end-of-sequence token after it).
 *
 * @param prompt e.g. {@code "Question: ...\nAnswer:"}
 * @param answer e.g. {@code " She has 3+4=<<3+4=7>>7 apples.\n#### 7"}
 */
public record TrainingExample(String prompt, String answer) {
    public TrainingExample {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        if (answer.isEmpty()) {
            throw new IllegalArgumentException("answer must not be empty");
        }
    }
}

package dev.steeropt.studies.vectors;

import java.util.Objects;

/**
 * One of the model's own completions of a train item, with its grade (from the pipeline's grader).
 *
 * @param itemId     the item
 * @param prompt     the exact model input the completion continued
 * @param completion the generated text
 * @param correct    the grade
 */
public record GradedCompletion(String itemId, String prompt, String completion, boolean correct) {
    public GradedCompletion {
        Objects.requireNonNull(itemId, "itemId");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(completion, "completion");
    }
}

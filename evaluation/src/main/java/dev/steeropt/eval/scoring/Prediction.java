package dev.steeropt.eval.scoring;

import java.util.Objects;

/**
 * One line of a predictions file: {@code {"id": ..., "completion": ...}}.
 *
 * @param id         the item id
 * @param completion the generated text, possibly empty
 * @param line       1-based line number in the file, for error messages
 */
public record Prediction(String id, String completion, int line) {
    public Prediction {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("prediction id must be non-blank, got " + id);
        }
        Objects.requireNonNull(completion, "completion");
        if (line < 1) {
            throw new IllegalArgumentException("line must be >= 1, got " + line);
        }
    }
}

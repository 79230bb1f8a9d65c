package dev.steeropt.eval.datasets;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One benchmark item: a question with its reference solution and the final answer a completion must reach.
 *
 * <p>Immutable and thread-safe. {@code metadata} is copied into a sorted, unmodifiable map so that iteration order (and
 * anything hashed from it) is deterministic.
 *
 * @param id           stable item id: {@code gsm8k-train-{i}}, {@code gsm8k-test-{i}} (i = 0-based line number), the
 *                     MATH-500 {@code unique_id}, or {@code synthetic-{split}-{i}}
 * @param question     the question text shown to the model
 * @param goldSolution the full reference solution (GSM8K {@code answer}, MATH-500 {@code solution})
 * @param goldAnswer   the final answer a completion is graded against (GSM8K: the text after {@code ####}; MATH-500:
 *                     the {@code answer} field)
 * @param metadata     extra fields such as {@code subject} and {@code level}; never {@code null}
 */
public record Problem(String id, String question, String goldSolution, String goldAnswer,
                      Map<String, String> metadata) {

    public Problem {
        requireNonBlank(id, "id", id);
        requireNonBlank(question, "question", id);
        Objects.requireNonNull(goldSolution, () -> "Problem '" + id + "': goldSolution is null; pass \"\" when the "
                + "dataset has no reference solution.");
        requireNonBlank(goldAnswer, "goldAnswer", id);
        Objects.requireNonNull(metadata, () -> "Problem '" + id + "': metadata is null; pass Map.of() for none.");
        metadata = Collections.unmodifiableMap(new TreeMap<>(metadata));
    }

    /** A problem without metadata. */
    public static Problem of(String id, String question, String goldSolution, String goldAnswer) {
        return new Problem(id, question, goldSolution, goldAnswer, Map.of());
    }

    private static void requireNonBlank(String value, String field, String id) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("Problem '" + id + "': " + field + " must be non-blank, got "
                    + (value == null ? "null" : "'" + value + "'") + ". Check the dataset line that produced it.");
        }
    }
}

package dev.steeropt.studies.objective;

import dev.steeropt.studies.spec.Metric;

/**
 * One graded item of one arm.
 *
 * @param id         the problem id
 * @param strict     correct under the strict rule
 * @param flexible   correct under the flexible rule
 * @param extracted  what the flexible rule extracted, or null
 * @param tokens     generated tokens
 * @param completion the completion text (cut at the first stop sequence)
 */
public record ItemOutcome(String id, boolean strict, boolean flexible, String extracted, int tokens,
        String completion) {

    /** Correct under {@code metric}. */
    public boolean correct(Metric metric) {
        return metric == Metric.STRICT ? strict : flexible;
    }
}

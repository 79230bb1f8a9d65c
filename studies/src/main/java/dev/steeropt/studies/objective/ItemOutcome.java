package dev.steeropt.studies.objective;

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

    /** Correct under {@code metric} ({@code strict} or {@code flexible}). */
    public boolean correct(String metric) {
        return metric.equals("strict") ? strict : flexible;
    }
}

package dev.steeropt.eval.scoring;

/**
 * The grade of one completion under both extraction rules. Immutable.
 *
 * @param strict            correct under the strict rule (GSM8K {@code #### N}; MATH exact normal form of the last
 *                          {@code \boxed{}})
 * @param flexible          correct under the flexible rule (GSM8K last number; MATH equivalence of the boxed or
 *                          "final answer is" text)
 * @param strictExtracted   what the strict rule extracted, or {@code null} if nothing
 * @param flexibleExtracted what the flexible rule extracted, or {@code null} if nothing
 */
public record Grade(boolean strict, boolean flexible, String strictExtracted, String flexibleExtracted) {
    public Grade {
        if (strict && strictExtracted == null) {
            throw new IllegalArgumentException("a strict-correct grade needs the strict extraction, got null");
        }
        if (flexible && flexibleExtracted == null) {
            throw new IllegalArgumentException("a flexible-correct grade needs the flexible extraction, got null");
        }
    }
}

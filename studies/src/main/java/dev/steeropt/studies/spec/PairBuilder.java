package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The contrast pairs the CAA vectors are built from. Names at the edges as in {@link #wireName}. */
public enum PairBuilder implements WireName {
    /** {@code gold_vs_corrupted_answer}: prompt + gold solution against the same with the final answer off by one. */
    GOLD_VS_CORRUPTED_ANSWER("gold_vs_corrupted_answer"),
    /** {@code answer_off_by_one}: prompt + 'The answer is N.' against N+1 (short, for models with few positions). */
    ANSWER_OFF_BY_ONE("answer_off_by_one");

    private final String wireName;

    PairBuilder(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    @Override
    public String wireName() {
        return wireName;
    }

    /** The wire name, so that text built from it (cache keys, messages) reads as before. */
    @Override
    public String toString() {
        return wireName;
    }

    /** The pair builder named {@code name}, case-insensitively. */
    @JsonCreator
    public static PairBuilder parse(String name) {
        return WireName.parse(PairBuilder.class, "pair builder", name);
    }
}

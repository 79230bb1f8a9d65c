package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

/** The contrast pairs the CAA vectors are built from. Names at the edges as in {@link #wireName}. */
public enum PairBuilder implements WireName {
    /** {@code gold_vs_corrupted_answer}: prompt + gold solution against the same with the final answer off by one. */
    GOLD_VS_CORRUPTED_ANSWER,
    /** {@code answer_off_by_one}: prompt + 'The answer is N.' against N+1 (short, for models with few positions). */
    ANSWER_OFF_BY_ONE,
    /**
     * {@code careful_vs_hasty}: prompt + the gold worked chain against prompt + the hasty shortcut (every number of
     * the question summed), both cut after {@code "#### "}, so the pair is read at the same token and differs in the
     * answer's mode and the lines before it. The demo world's planted direction.
     */
    CAREFUL_VS_HASTY;

    /** The pair builder named {@code name}, case-insensitively. */
    @JsonCreator
    public static PairBuilder parse(String name) {
        return WireName.parse(PairBuilder.class, "pair builder", name);
    }
}

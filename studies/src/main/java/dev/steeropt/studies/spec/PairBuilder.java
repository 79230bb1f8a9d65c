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
    CAREFUL_VS_HASTY,
    /**
     * {@code reasoning_vs_control}: the problem under the study's prompt (a reasoning task: the model is about to
     * solve it) against the same problem under a control instruction, {@value #CONTROL_INSTRUCTION} followed by the
     * question and {@value #CONTROL_CUE}: a task that reads the same words but asks for no reasoning. Both are read at
     * their last token, the position whose output starts the answer, as the seed contrasts reasoning tasks with
     * control tasks.
     */
    REASONING_VS_CONTROL;

    /** The first line of a {@link #REASONING_VS_CONTROL} control prompt. */
    public static final String CONTROL_INSTRUCTION = "Copy the question word for word.";
    /** The cue a {@link #REASONING_VS_CONTROL} control prompt ends with. */
    public static final String CONTROL_CUE = "Copy: ";

    /** The control prompt of {@link #REASONING_VS_CONTROL} for a question. */
    public static String controlPrompt(String question) {
        return CONTROL_INSTRUCTION + "\nQuestion: " + question.strip() + "\n" + CONTROL_CUE;
    }

    /** The pair builder named {@code name}, case-insensitively. */
    @JsonCreator
    public static PairBuilder parse(String name) {
        return WireName.parse(PairBuilder.class, "pair builder", name);
    }
}

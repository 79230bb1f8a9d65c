package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;

/** Which prompt variant renders the items. Names at the edges as in {@link #wireName}. */
public enum PromptKind implements WireName {
    /** {@code zero-shot-cot}: the question and a think-step-by-step cue. */
    ZERO_SHOT_COT,
    /** {@code k-shot}: k solved train items before the question. */
    K_SHOT,
    /** {@code chat}: the model's chat template. */
    CHAT,
    /** {@code question-answer}: the demo model's own format. */
    QUESTION_ANSWER;

    /** The constant's name in lower case with {@code -} for {@code _}. */
    @Override
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The prompt variant named {@code name}, case-insensitively. */
    @JsonCreator
    public static PromptKind parse(String name) {
        return WireName.parse(PromptKind.class, "prompt variant", name);
    }
}

package dev.steeropt.studies.spec;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** Which prompt variant renders the items. Names at the edges as in {@link #wireName}. */
public enum PromptKind implements WireName {
    /** {@code zero-shot-cot}: the question and a think-step-by-step cue. */
    ZERO_SHOT_COT("zero-shot-cot"),
    /** {@code k-shot}: k solved train items before the question. */
    K_SHOT("k-shot"),
    /** {@code chat}: the model's chat template. */
    CHAT("chat"),
    /** {@code question-answer}: the demo model's own format. */
    QUESTION_ANSWER("question-answer");

    private final String wireName;

    PromptKind(String wireName) {
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

    /** The prompt variant named {@code name}, case-insensitively. */
    @JsonCreator
    public static PromptKind parse(String name) {
        return WireName.parse(PromptKind.class, "prompt variant", name);
    }
}

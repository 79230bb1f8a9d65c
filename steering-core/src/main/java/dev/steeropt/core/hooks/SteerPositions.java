package dev.steeropt.core.hooks;

import java.util.Locale;

/** Which token positions an activation addition applies to. */
public enum SteerPositions {
    /** Every position of every forward pass: the prompt prefill and every decode step. */
    ALL,
    /** Generated tokens only: position id ≥ the row's prompt length (decode steps, never the prompt). */
    GENERATED,
    /**
     * The last prompt token and every generated token: position id ≥ prompt length − 1. The default of the steering
     * pipeline; the prompt prefix before the last token is unaffected, so its KV cache can be reused across trials.
     */
    FROM_LAST_PROMPT_TOKEN,
    /**
     * The last prompt token only (position id = prompt length − 1): the position whose output chooses the first
     * generated token. Later tokens are not steered themselves; they read the steered position through attention.
     */
    LAST_PROMPT_TOKEN;

    /** True if a real (non-pad) token at this position id is steered, given its row's prompt length. */
    public boolean selects(int positionId, int promptLength) {
        return switch (this) {
            case ALL -> true;
            case GENERATED -> positionId >= promptLength;
            case FROM_LAST_PROMPT_TOKEN -> positionId >= promptLength - 1;
            case LAST_PROMPT_TOKEN -> positionId == promptLength - 1;
        };
    }

    /** True if the prompt prefix before its last token is never touched (so a {@code PromptState} can be reused). */
    public boolean sparesPromptPrefix() {
        return this != ALL;
    }

    /**
     * Parses {@code all}, {@code generated} or {@code from_last_prompt_token} (also with dashes).
     *
     * @throws IllegalArgumentException naming the value and the accepted ones
     */
    public static SteerPositions parse(String s) {
        String k = s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        return switch (k) {
            case "all", "all_positions" -> ALL;
            case "generated", "generated_only" -> GENERATED;
            case "from_last_prompt_token" -> FROM_LAST_PROMPT_TOKEN;
            case "last_prompt_token" -> LAST_PROMPT_TOKEN;
            default -> throw new IllegalArgumentException("positions \"" + s + "\" is not one of all, generated,"
                    + " from_last_prompt_token, last_prompt_token");
        };
    }
}

package dev.steeropt.core.runtime;

import java.util.Objects;

/**
 * A prefilled prompt batch kept for reuse: the KV cache of every prompt column but the last, owned by the
 * caller-managed NDManager passed to {@link LoadedModel#prefill}. Pass it to many
 * {@link GenerationRequest.Builder#prefix(PromptState)} requests; each generate call copies the cache into its own
 * call manager, so the state is never modified and may be reused until its manager is closed.
 *
 * <p>Valid only for hooks that leave the prompt prefix unchanged: steering with {@code GENERATED} or
 * {@code FROM_LAST_PROMPT_TOKEN} positions (at any layer), captures, or no hooks. Steering at {@code ALL} positions
 * needs a fresh prefill.
 */
public final class PromptState {
    private final DecodeState state;
    private final PromptBatch batch;

    PromptState(DecodeState state, PromptBatch batch) {
        this.state = Objects.requireNonNull(state);
        this.batch = Objects.requireNonNull(batch);
    }

    /** The prompts this state was prefilled with. */
    public PromptBatch batch() {
        return batch;
    }

    /** The prefilled decode state (fork it; do not step it directly if it is shared). */
    public DecodeState state() {
        return state;
    }
}

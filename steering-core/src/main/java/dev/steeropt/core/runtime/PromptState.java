package dev.steeropt.core.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A prefilled prompt batch kept for reuse, made by {@link LoadedModel#prefill}: the KV cache of every prompt column
 * but the last, and optionally the input of some blocks ({@code blocks.{L}.hook_resid_pre},
 * {@code [batch, width − 1, d_model]} each). The state owns that native memory; {@link #close} frees it. Pass it to
 * many {@link GenerationRequest.Builder#prefix(PromptState)} requests; each generate call copies the cache into its
 * own call manager, so the state is never modified and may be reused until it is closed.
 *
 * <p>Valid as it is only for hooks that leave the prompt prefix unchanged: steering with {@code GENERATED} or
 * {@code FROM_LAST_PROMPT_TOKEN} positions (at any layer), captures, or no hooks. Hooks that change the prefix from
 * block L on (steering at {@code ALL} positions at layer L) can still reuse the blocks below L through
 * {@link DecodeCall#resume} when the state kept the input of block L (or of a lower block); otherwise they
 * need a fresh prefill.
 */
public final class PromptState implements AutoCloseable {
    private final DecodeState state;
    private final PromptBatch batch;
    private final Map<Integer, NDArray> residuals;
    private final NDManager owner;

    PromptState(DecodeState state, PromptBatch batch, Map<Integer, NDArray> residuals, NDManager owner) {
        this.state = Objects.requireNonNull(state);
        this.batch = Objects.requireNonNull(batch);
        this.residuals = Collections.unmodifiableMap(new TreeMap<>(residuals));
        this.owner = Objects.requireNonNull(owner);
    }

    /** Whether the state is still usable (not closed). */
    public boolean isOpen() {
        return owner.isOpen();
    }

    /** Frees the KV cache and the kept block inputs; idempotent. */
    @Override
    public void close() {
        owner.close();
    }

    /** The prompts this state was prefilled with. */
    public PromptBatch batch() {
        return batch;
    }

    /** The prefilled decode state (fork it; do not step it directly if it is shared). */
    public DecodeState state() {
        return state;
    }

    /**
     * The blocks whose input this state kept, ascending. Empty when none was asked for, and for one-token prompts
     * (nothing is prefilled; {@link DecodeCall#resume} then needs no residual).
     */
    public NavigableSet<Integer> residualLayers() {
        return Collections.unmodifiableNavigableSet(new TreeSet<>(residuals.keySet()));
    }

    /**
     * The block from which a prefill for hooks starting at block {@code firstHooked} can resume: the highest kept
     * block at or below it, or empty if there is none (then prefill in full). A one-token prompt can always resume.
     */
    public OptionalInt resumeLayer(int firstHooked) {
        if (state.length() == 0) {
            return OptionalInt.of(Math.max(0, firstHooked));
        }
        Integer k = new TreeSet<>(residuals.keySet()).floor(firstHooked);
        return k == null ? OptionalInt.empty() : OptionalInt.of(k);
    }

    /**
     * The kept input of block {@code layer}.
     *
     * @throws IllegalArgumentException naming the kept blocks if {@code layer} is not one of them
     */
    NDArray residual(int layer) {
        NDArray r = residuals.get(layer);
        if (r == null) {
            throw new IllegalArgumentException("this prompt state kept the input of blocks " + residuals.keySet()
                    + ", not of block " + layer + "; resume at one of them, or prefill with block " + layer + " kept");
        }
        return r;
    }
}

package dev.steeropt.core.runtime;

import ai.djl.ndarray.NDManager;
import dev.steeropt.core.hooks.HookSet;
import java.util.Objects;

/**
 * The native memory of one decode call on the step API ({@link DecodeState}): the KV caches of every state the call
 * prefills, resumes or forks, and a {@link Step} scope per forward step for that step's temporaries. Made by
 * {@link LoadedModel#openCall()} and closed with try-with-resources; closing frees every state and open step of the
 * call. Callers never see an NDManager: the call owns it.
 *
 * {@snippet :
 * try (DecodeCall call = model.openCall()) {
 *     DecodeState st = call.prefill(batch, maxNew, hooks);
 *     int[] next = st.pendingTokens();
 *     for (int i = 0; i < maxNew; i++) {
 *         try (DecodeCall.Step step = call.newStep()) {
 *             NDArray logits = st.step(step, next, hooks); // [batch, d_vocab], valid until the step closes
 *             next = argmax(logits);                      // only plain Java leaves the step
 *         }
 *     }
 * }
 * }
 *
 * <p>Until it is closed, a call counts in {@link LoadedModel#openManagerCount} and its arrays (its open steps' too) in
 * {@link LoadedModel#liveArrayCount}, so a call nobody closes shows in {@code bench-runtime --memory-check}. Not
 * thread-safe: one call per thread.
 */
public final class DecodeCall implements AutoCloseable {
    private final LoadedModel model;
    private final NDManager manager;

    DecodeCall(LoadedModel model, NDManager manager) {
        this.model = model;
        this.manager = manager;
    }

    /**
     * Prefills all but the last prompt column of {@code batch} into a cache of this call, with {@code hooks} (plus
     * the model-wide ones), and returns the state to step.
     *
     * @param maxSteps steps the state must hold (the first consumes the pending last prompt tokens)
     */
    public DecodeState prefill(PromptBatch batch, int maxSteps, HookSet hooks) {
        Objects.requireNonNull(batch, "batch");
        return DecodeState.prefill(model, requireOpen(), batch, capacity(batch, maxSteps), hooks);
    }

    /**
     * A state from a reused prefix whose prompt the hooks change from block {@code layer} on: copies the keys and
     * values of the blocks below {@code layer} from {@code prefix}, runs the prompt prefix through blocks
     * {@code layer..N-1} with {@code hooks} (starting from the block input the prefix kept), and returns the state to
     * step. Gives the same state as {@link #prefill} with the same hooks, at the cost of the upper blocks only.
     *
     * @param layer    a block whose input {@code prefix} kept (see {@link PromptState#resumeLayer})
     * @param maxSteps steps the state must hold
     * @throws IllegalArgumentException if a hook (model-wide included) acts below block {@code layer}, where it would
     *                                  never fire, or the prefix did not keep the input of {@code layer}
     */
    public DecodeState resume(PromptState prefix, int layer, int maxSteps, HookSet hooks) {
        Objects.requireNonNull(prefix, "prefix");
        return DecodeState.resume(model, requireOpen(), prefix, layer, capacity(prefix.batch(), maxSteps), hooks);
    }

    /** An independent copy of {@code source} (same capacity) whose cache belongs to this call. */
    public DecodeState fork(DecodeState source) {
        Objects.requireNonNull(source, "source");
        return source.fork(requireOpen(), source.capacity());
    }

    /**
     * An independent copy of {@code source} whose cache belongs to this call, with room for {@code moreSteps} steps
     * beyond what {@code source} holds (for an unstepped prefix: the new tokens of a request).
     */
    public DecodeState fork(DecodeState source, int moreSteps) {
        Objects.requireNonNull(source, "source");
        return source.fork(requireOpen(), source.length() + Math.max(1, moreSteps));
    }

    /**
     * A scope for one forward step of this call's states: the logits {@link DecodeState#step} returns and every
     * temporary live in it until it is closed.
     */
    public Step newStep() {
        return new Step(requireOpen().newSubManager());
    }

    /** Whether the call is still open. */
    public boolean isOpen() {
        return manager.isOpen();
    }

    /** Frees every state and open step of this call; idempotent. */
    @Override
    public void close() {
        manager.close();
    }

    /** The manager owning this call's caches. */
    NDManager manager() {
        return manager;
    }

    private NDManager requireOpen() {
        if (!manager.isOpen()) {
            throw new IllegalStateException("this decode call is closed; open another with LoadedModel.openCall()");
        }
        return manager;
    }

    private static int capacity(PromptBatch batch, int maxSteps) {
        return batch.width() - 1 + Math.max(1, maxSteps);
    }

    /** The temporaries of one forward step ({@link DecodeCall#newStep}); closing frees them. */
    public static final class Step implements AutoCloseable {
        private final NDManager scope;

        private Step(NDManager scope) {
            this.scope = scope;
        }

        /** The step's manager. */
        NDManager manager() {
            return scope;
        }

        /** Frees the step's logits and temporaries; idempotent. */
        @Override
        public void close() {
            scope.close();
        }
    }
}

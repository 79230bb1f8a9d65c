package dev.steeropt.core.hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a {@link Hook} knows about the forward step it runs in: the hook point, each token's position id, the prompt
 * length and caller row of each batch row, whether a token is generated, and two scopes for arrays.
 *
 * <p>Arrays a hook creates for its result belong in {@link #manager()} (closed after the step).
 * {@link #constant(Object, Function)} memoises an array for the whole generate call (e.g. a scaled steering vector),
 * created once in the call scope.
 */
public final class HookContext {
    private final HookPoint point;
    private final StepPositions positions;
    private final NDManager stepManager;
    private final NDManager callManager;
    private final Map<Object, NDArray> constants;

    /** Created by the runtime for each hook invocation. */
    public HookContext(HookPoint point, StepPositions positions, NDManager stepManager, NDManager callManager,
            Map<Object, NDArray> constants) {
        this.point = Objects.requireNonNull(point);
        this.positions = Objects.requireNonNull(positions);
        this.stepManager = Objects.requireNonNull(stepManager);
        this.callManager = Objects.requireNonNull(callManager);
        this.constants = Objects.requireNonNull(constants);
    }

    /** The hook point firing. */
    public HookPoint point() {
        return point;
    }

    /** All position metadata of this step. */
    public StepPositions positions() {
        return positions;
    }

    /** Rows in this forward. */
    public int batchSize() {
        return positions.batch();
    }

    /** New tokens per row in this forward. */
    public int seqLen() {
        return positions.seqLen();
    }

    /** True during a prompt prefill, false in a decode step. */
    public boolean isPrefill() {
        return positions.prefill();
    }

    /** Position id of token t of row b (its index in the unpadded sequence; 0 at pads). */
    public int positionId(int b, int t) {
        return positions.positionIds()[b * positions.seqLen() + t];
    }

    /** True if token t of row b is padding. */
    public boolean isPad(int b, int t) {
        return positions.attentionMask()[b * positions.seqLen() + t] == 0;
    }

    /** Real prompt tokens of row b. */
    public int promptLength(int b) {
        return positions.promptLengths()[b];
    }

    /** The caller's index of row b. */
    public int row(int b) {
        return positions.rows()[b];
    }

    /** True if token t of row b is a generated token (position id ≥ the row's prompt length). */
    public boolean isGenerated(int b, int t) {
        return !isPad(b, t) && positionId(b, t) >= promptLength(b);
    }

    /** Scope of this forward step: arrays made here are freed after the step. */
    public NDManager manager() {
        return stepManager;
    }

    /**
     * An array made once per generate call (or decode state) and reused by every step.
     *
     * @param key     identity of the constant (e.g. the hook instance)
     * @param factory creates the array in the given call-scope manager
     */
    public NDArray constant(Object key, Function<NDManager, NDArray> factory) {
        NDArray a = constants.get(key);
        if (a == null) {
            a = factory.apply(callManager);
            constants.put(key, a);
        }
        return a;
    }
}

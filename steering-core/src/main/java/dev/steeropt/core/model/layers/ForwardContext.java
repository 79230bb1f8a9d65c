package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.steeropt.core.hooks.Hook;
import dev.steeropt.core.hooks.HookContext;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.StepPositions;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything one forward step needs besides the weights: the step scope, the attention mask, RoPE tables for the
 * step's positions, the optional KV cache, and the hooks with their position metadata.
 *
 * <p>Mutable only by {@link Transformer} (which sets the RoPE tables); one instance per forward step.
 */
public final class ForwardContext {
    /**
     * Default of {@link #rowGroupTokens()}: about this many tokens per row group keep a block's largest temporaries
     * (the gated MLP's {@code [tokens, 2·intermediate]}, the attention scores) within the CPU caches. Overridden by the
     * system property {@code steeropt.rowGroupTokens} (0 or less turns grouping off).
     */
    public static final int DEFAULT_ROW_GROUP_TOKENS = 512;

    private final NDManager manager;
    private final NDManager callManager;
    private final Map<Object, NDArray> constants;
    private final HookSet hooks;
    private final StepPositions positions;
    private final NDArray mask;
    private final AttentionCache cache;
    private final DataType dtype;
    private NDArray mask4;
    private NDArray cos;
    private NDArray sin;
    private int cacheRow;
    private int rowGroupTokens = Integer.getInteger("steeropt.rowGroupTokens", DEFAULT_ROW_GROUP_TOKENS);

    /**
     * @param manager     step scope: every temporary of the step is created here
     * @param callManager call scope, for constants reused across steps
     * @param constants   per-call memo of hook constants
     * @param hooks       hooks active in this step
     * @param positions   position metadata (plain Java)
     * @param mask        additive attention mask {@code [batch, 1, 1, new, past + new]} (0 allowed, large negative not)
     * @param cache       KV cache, or {@code null} to attend over this step's tokens only
     * @param dtype       compute dtype
     */
    public ForwardContext(NDManager manager, NDManager callManager, Map<Object, NDArray> constants, HookSet hooks,
            StepPositions positions, NDArray mask, AttentionCache cache, DataType dtype) {
        this.manager = Objects.requireNonNull(manager);
        this.callManager = Objects.requireNonNull(callManager);
        this.constants = Objects.requireNonNull(constants);
        this.hooks = Objects.requireNonNull(hooks);
        this.positions = Objects.requireNonNull(positions);
        this.mask = Objects.requireNonNull(mask);
        this.cache = cache;
        this.dtype = Objects.requireNonNull(dtype);
    }

    /** Step scope. */
    public NDManager manager() {
        return manager;
    }

    /** Additive attention mask {@code [batch, 1, 1, new, past + new]}. */
    public NDArray mask() {
        return mask;
    }

    /**
     * The mask of a one-token step as {@code [batch, 1, 1, past + 1]} (made once per step).
     *
     * @throws IllegalStateException if this step has more than one new token
     */
    public NDArray mask4() {
        if (mask4 == null) {
            Shape s = mask.getShape();
            if (s.get(3) != 1) {
                throw new IllegalStateException("mask4 is for one-token steps; this step has " + s.get(3) + " tokens");
            }
            mask4 = mask.reshape(s.get(0), 1, 1, s.get(4));
        }
        return mask4;
    }

    /** KV cache or null. */
    public AttentionCache cache() {
        return cache;
    }

    /** The cache row of this context's first batch row (non-zero inside a row group, see {@link #rows}). */
    public int cacheRow() {
        return cacheRow;
    }

    /**
     * Target tokens per row group: a block runs its attention and MLP over groups of about this many tokens (whole
     * rows, at least one), firing its hooks on the whole batch; 0 or less runs the whole batch at once.
     */
    public int rowGroupTokens() {
        return rowGroupTokens;
    }

    /** Sets {@link #rowGroupTokens()} for this step (the results do not depend on it beyond float rounding). */
    public void setRowGroupTokens(int tokens) {
        this.rowGroupTokens = tokens;
    }

    /**
     * Rows per group for a step of {@code batch} rows of {@code len} new tokens, or {@code batch} when the step is not
     * split (one-token steps, grouping off, or a batch within one group).
     */
    public int rowsPerGroup(long batch, long len) {
        if (len <= 1 || rowGroupTokens <= 0 || batch * len <= rowGroupTokens) {
            return (int) batch;
        }
        return (int) Math.max(1, rowGroupTokens / len);
    }

    /** Compute dtype. */
    public DataType dtype() {
        return dtype;
    }

    /** Position metadata. */
    public StepPositions positions() {
        return positions;
    }

    /** RoPE cos table for this step, {@code [batch, new, 1, d_head]}, or null (learned positions). */
    public NDArray cos() {
        return cos;
    }

    /** RoPE sin table with the rotate_half sign folded in, {@code [batch, new, 1, d_head]}, or null. */
    public NDArray sin() {
        return sin;
    }

    /**
     * A view of this context whose step scope is {@code scope} (same mask, RoPE tables, cache and hooks): one decoder
     * block runs in its own scope so that its temporaries are freed as soon as it is done.
     */
    ForwardContext withManager(NDManager scope) {
        ForwardContext c = new ForwardContext(scope, callManager, constants, hooks, positions, mask, cache, dtype);
        c.cos = cos;
        c.sin = sin;
        c.mask4 = mask4;
        c.cacheRow = cacheRow;
        c.rowGroupTokens = rowGroupTokens;
        return c;
    }

    /**
     * A view of this context restricted to batch rows {@code from..to−1} with step scope {@code scope}: mask and RoPE
     * tables sliced to those rows, cache writes and reads directed to them. Fires no hooks meant for the whole batch;
     * only the inside of a block (attention, MLP) runs in it.
     */
    ForwardContext rows(NDManager scope, int from, int to) {
        NDIndex sel = new NDIndex().addSliceDim(from, to);
        // a mask of batch 1 (the same for every row, as in training) is broadcast, not sliced
        NDArray rowsMask = mask.getShape().get(0) == 1 ? mask : mask.getNDArrayInternal().getIndexer(scope).get(mask, sel);
        ForwardContext c = new ForwardContext(scope, callManager, constants, hooks, positions, rowsMask, cache, dtype);
        if (cos != null && cos.getShape().get(0) > 1) {
            c.cos = cos.getNDArrayInternal().getIndexer(scope).get(cos, sel);
            c.sin = sin.getNDArrayInternal().getIndexer(scope).get(sin, sel);
        } else {
            c.cos = cos; // absent, or of batch 1 (shared positions): broadcast like the mask
            c.sin = sin;
        }
        c.cacheRow = cacheRow + from;
        c.rowGroupTokens = 0;
        return c;
    }

    void setRope(NDArray cos, NDArray sin) {
        this.cos = cos;
        this.sin = sin;
    }

    /**
     * Passes an activation through the hooks at a point. With no hook there, returns the same array untouched.
     *
     * @throws IllegalStateException if a hook returns an array of another shape
     */
    public NDArray fire(HookPoint point, NDArray x) {
        List<Hook> at = hooks.at(point);
        if (at.isEmpty()) {
            return x;
        }
        NDArray cur = x;
        for (Hook h : at) {
            NDArray next = h.apply(cur, new HookContext(point, positions, manager, callManager, constants));
            if (next == null || !next.getShape().equals(cur.getShape())) {
                throw new IllegalStateException("hook at " + point + " returned " + (next == null ? "null" : next.getShape())
                        + ", expected an array of shape " + cur.getShape());
            }
            cur = next;
        }
        return cur;
    }
}

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

    /** Additive mask value for disallowed keys: finite, so a query with no allowed key gets a uniform softmax, not NaN. */
    public static final float MASKED = -1e30f;

    private final NDManager manager;
    private final NDManager callManager;
    private final Map<Object, NDArray> constants;
    private final HookSet hooks;
    private final StepPositions positions;
    private final NDArray mask;
    private final AttentionCache cache;
    private final DataType dtype;
    private NDArray mask4;
    private NDArray[] cos = new NDArray[0];
    private NDArray[] sin = new NDArray[0];
    /** Masks with a sliding window, by window size; shared by the block views of one step ({@link #withManager}). */
    private Map<Integer, NDArray> windowMasks = new java.util.HashMap<>();
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

    /** RoPE cos table 0 for this step, {@code [batch, new, 1, rotary_dim]}, or null (learned positions). */
    public NDArray cos() {
        return cos(0);
    }

    /** RoPE sin table 0 with the rotate_half sign folded in, {@code [batch, new, 1, rotary_dim]}, or null. */
    public NDArray sin() {
        return sin(0);
    }

    /** RoPE cos table {@code table} (a model with several RoPE bases has one per base), or null if there is none. */
    public NDArray cos(int table) {
        return table < cos.length ? cos[table] : null;
    }

    /** RoPE sin table {@code table}, or null. */
    public NDArray sin(int table) {
        return table < sin.length ? sin[table] : null;
    }

    /**
     * The additive mask with a sliding window of {@code window} keys on top of {@link #mask()} (made once per step and
     * window), or {@link #mask()} itself for {@code window <= 0}.
     *
     * <p>Query i of the step sits at cache slot {@code past + i} ({@code past = total − new}); it may attend to slot u
     * only if {@code past + i − u < window}, so it sees W keys, itself included. Slots are indices in the left-padded
     * sequence (prompt columns, then one column per decode step), so for real tokens the slot difference is the
     * position-id difference and padding does not change what a token sees.
     *
     * @return {@code [batch, 1, 1, new, total]}
     */
    public NDArray mask(int window) {
        if (window <= 0) {
            return mask;
        }
        return windowMasks.computeIfAbsent(window, w -> {
            Shape s = mask.getShape();
            int len = (int) s.get(3);
            int total = (int) s.get(4);
            int past = total - len;
            float[] band = new float[len * total];
            for (int i = 0; i < len; i++) {
                for (int u = 0; u < total; u++) {
                    band[i * total + u] = past + i - u < w ? 0f : MASKED;
                }
            }
            NDArray b = manager.create(band, new Shape(1, 1, 1, len, total));
            return mask.minimum(b); // a key masked twice keeps the one masked value
        });
    }

    /** {@link #mask(int)} of a one-token step as {@code [batch, 1, 1, total]}. */
    public NDArray mask4(int window) {
        if (window <= 0) {
            return mask4();
        }
        NDArray m = mask(window);
        Shape s = m.getShape();
        return m.reshape(s.get(0), 1, 1, s.get(4));
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
        c.windowMasks = windowMasks;
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
        c.cos = new NDArray[cos.length];
        c.sin = new NDArray[sin.length];
        for (int t = 0; t < cos.length; t++) {
            if (cos[t].getShape().get(0) > 1) {
                c.cos[t] = cos[t].getNDArrayInternal().getIndexer(scope).get(cos[t], sel);
                c.sin[t] = sin[t].getNDArrayInternal().getIndexer(scope).get(sin[t], sel);
            } else {
                c.cos[t] = cos[t]; // of batch 1 (shared positions): broadcast like the mask
                c.sin[t] = sin[t];
            }
        }
        c.cacheRow = cacheRow + from;
        c.rowGroupTokens = 0;
        return c;
    }

    void setRope(NDArray[] cos, NDArray[] sin) {
        this.cos = cos.clone();
        this.sin = sin.clone();
    }

    /** True if some hook is set at {@code point} in this step. */
    public boolean hooked(HookPoint point) {
        return !hooks.at(point).isEmpty();
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

package dev.steeropt.core.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.StepPositions;
import dev.steeropt.core.model.layers.ForwardContext;
import dev.steeropt.core.model.layers.Transformer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The lower-level step API: a batch whose prompt has been prefilled into a KV cache, advanced one token per row at a
 * time with any hook set. {@link LoadedModel#generate} is built on it; so can methods that run several caches side by
 * side (DAC: prefill once, {@link #fork} into unsteered, probe and steered states, step each with its own hooks).
 *
 * <p>Prefill covers every prompt column except the last; the last prompt token of each row is returned by
 * {@link #pendingTokens()} and must be passed to the first {@link #step}. That first step yields the logits of the
 * first new token, and it is where {@code from_last_prompt_token} steering starts, so the prefilled prefix never
 * depends on such steering.
 *
 * <p>Memory: the cache lives in the owner manager given at creation (a call manager, or a caller-managed manager for
 * a reusable {@link PromptState}); each step's temporaries live in the step manager passed to {@link #step}. Not
 * thread-safe.
 */
public final class DecodeState {
    private final LoadedModel model;
    private final NDManager owner;
    private final KvCache cache;
    private final int[] promptLengths;
    private final int[] rows;
    private final int[] nextPositions;
    private final int[] pending;
    private final Map<Object, NDArray> constants = new HashMap<>();
    private int steps;

    private DecodeState(LoadedModel model, NDManager owner, KvCache cache, int[] promptLengths, int[] rows, int[] nextPositions,
            int[] pending, int steps) {
        this.model = model;
        this.owner = owner;
        this.cache = cache;
        this.promptLengths = promptLengths;
        this.rows = rows;
        this.nextPositions = nextPositions;
        this.pending = pending;
        this.steps = steps;
    }

    /**
     * Prefills all but the last prompt column.
     *
     * @param owner    manager that owns the KV cache
     * @param capacity cache columns: at least {@code width − 1 + steps to run}
     * @param hooks    hooks active during the prefill (plus the model-wide ones)
     */
    static DecodeState prefill(LoadedModel model, NDManager owner, PromptBatch batch, int capacity, HookSet hooks) {
        int b = batch.batchSize();
        int width = batch.width();
        int pre = width - 1;
        if (capacity < width) {
            throw new IllegalArgumentException("capacity " + capacity + " cannot hold the " + width + " prompt columns");
        }
        for (int r = 0; r < b; r++) {
            if (batch.promptLength(r) > model.transformer().maxPositions()) {
                throw new IllegalArgumentException("prompt row " + r + " has " + batch.promptLength(r) + " tokens, more than"
                        + " the model's " + model.transformer().maxPositions() + " positions");
            }
        }
        float[] padMask = new float[b * width];
        for (int r = 0; r < b; r++) {
            for (int t = 0; t < width; t++) {
                padMask[r * width + t] = batch.mask(r, t) == 1 ? 0f : KvCache.MASKED;
            }
        }
        KvCache cache = KvCache.allocate(owner, model.config(), b, capacity, model.dataType(), padMask, width);
        int[] lengths = batch.promptLengths();
        int[] rows = new int[b];
        int[] next = new int[b];
        int[] pending = new int[b];
        for (int r = 0; r < b; r++) {
            rows[r] = r;
            next[r] = lengths[r] - 1;
            pending[r] = batch.id(r, width - 1);
        }
        DecodeState st = new DecodeState(model, owner, cache, lengths, rows, next, pending, 0);
        if (pre > 0) {
            long[] ids = new long[b * pre];
            long[] pos = new long[b * pre];
            int[] posJ = new int[b * pre];
            int[] maskJ = new int[b * pre];
            float[] mask = new float[b * pre * pre];
            for (int r = 0; r < b; r++) {
                for (int t = 0; t < pre; t++) {
                    ids[r * pre + t] = batch.id(r, t);
                    posJ[r * pre + t] = batch.positionId(r, t);
                    pos[r * pre + t] = posJ[r * pre + t];
                    maskJ[r * pre + t] = batch.mask(r, t);
                    for (int u = 0; u < pre; u++) {
                        boolean allowed = u <= t && batch.mask(r, u) == 1;
                        mask[(r * pre + t) * pre + u] = allowed ? 0f : KvCache.MASKED;
                    }
                }
            }
            try (NDManager tmp = owner.newSubManager()) {
                StepPositions meta = new StepPositions(b, pre, posJ, maskJ, lengths, rows, true);
                ForwardContext ctx = new ForwardContext(tmp, owner, st.constants, model.hooks().snapshot().with(hooks), meta,
                        tmp.create(mask, new Shape(b, 1, 1, pre, pre)), cache, model.dataType());
                model.transformer().forward(tmp.create(ids, new Shape(b, pre)), tmp.create(pos, new Shape(b, pre)), ctx,
                        Transformer.Logits.NONE);
            }
            cache.advance(pre);
        }
        return st;
    }

    /** Rows. */
    public int batchSize() {
        return promptLengths.length;
    }

    /** Cache columns filled. */
    public int length() {
        return cache.length();
    }

    /** Cache columns available. */
    public int capacity() {
        return cache.capacity();
    }

    /** Steps taken so far (the first step consumes the pending last prompt tokens). */
    public int steps() {
        return steps;
    }

    /** Real prompt tokens per row. */
    public int[] promptLengths() {
        return promptLengths.clone();
    }

    /** The last prompt token of each row, to pass to the first {@link #step}. */
    public int[] pendingTokens() {
        return pending.clone();
    }

    /** Position id the next stepped token of each row will get. */
    public int[] nextPositions() {
        return nextPositions.clone();
    }

    /** The manager that owns this state's cache. */
    public NDManager owner() {
        return owner;
    }

    /** An independent copy (same capacity) whose cache belongs to {@code target}. */
    public DecodeState fork(NDManager target) {
        return fork(target, cache.capacity());
    }

    /** An independent copy whose cache belongs to {@code target}, with {@code capacity} columns. */
    public DecodeState fork(NDManager target, int capacity) {
        Objects.requireNonNull(target, "target");
        return new DecodeState(model, target, cache.copy(target, capacity), promptLengths.clone(), rows.clone(),
                nextPositions.clone(), pending.clone(), steps);
    }

    /**
     * Runs one token per row through the model with the given hooks (plus the model-wide ones), appends its keys and
     * values to the cache, and returns the next-token logits.
     *
     * @param scope  step manager: the returned logits and every temporary are created there
     * @param tokens one token id per row (the {@link #pendingTokens()} at the first step)
     * @return logits {@code [batch, d_vocab]} in {@code scope}
     * @throws IllegalStateException when the cache is full or a position exceeds the model's maximum
     */
    public NDArray step(NDManager scope, int[] tokens, HookSet hooks) {
        int b = batchSize();
        if (tokens.length != b) {
            throw new IllegalArgumentException("step needs one token per row: " + b + " expected, got " + tokens.length);
        }
        if (cache.length() + 1 > cache.capacity()) {
            throw new IllegalStateException("decode state is full: " + cache.capacity() + " columns used; fork it with a"
                    + " larger capacity");
        }
        int maxPos = model.transformer().maxPositions();
        long[] ids = new long[b];
        long[] pos = new long[b];
        int[] ones = new int[b];
        for (int r = 0; r < b; r++) {
            if (nextPositions[r] >= maxPos) {
                throw new IllegalStateException("row " + r + " reached position " + nextPositions[r] + ", beyond the model's "
                        + maxPos + " positions");
            }
            ids[r] = tokens[r];
            pos[r] = nextPositions[r];
            ones[r] = 1;
        }
        StepPositions meta = new StepPositions(b, 1, nextPositions.clone(), ones, promptLengths, rows, false);
        ForwardContext ctx = new ForwardContext(scope, owner, constants, model.hooks().snapshot().with(hooks), meta,
                cache.decodeMask(scope, cache.length() + 1), cache, model.dataType());
        NDArray logits = model.transformer().forward(scope.create(ids, new Shape(b, 1)), scope.create(pos, new Shape(b, 1)), ctx,
                Transformer.Logits.LAST);
        cache.advance(1);
        for (int r = 0; r < b; r++) {
            nextPositions[r]++;
        }
        steps++;
        return logits.reshape(b, logits.getShape().get(2));
    }

    /** {@link #step} with its own scope, returning the logits as {@code float[batch][d_vocab]}. */
    public float[][] stepToHost(int[] tokens, HookSet hooks) {
        try (NDManager scope = owner.newSubManager()) {
            NDArray logits = step(scope, tokens, hooks);
            int v = (int) logits.getShape().get(1);
            float[] flat = logits.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
            float[][] out = new float[tokens.length][];
            for (int r = 0; r < tokens.length; r++) {
                out[r] = Arrays.copyOfRange(flat, r * v, (r + 1) * v);
            }
            return out;
        }
    }
}

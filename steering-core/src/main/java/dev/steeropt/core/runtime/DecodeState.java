package dev.steeropt.core.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.steeropt.core.hooks.HookPoint;
import dev.steeropt.core.hooks.HookSet;
import dev.steeropt.core.hooks.StepPositions;
import dev.steeropt.core.model.layers.ForwardContext;
import dev.steeropt.core.model.layers.Transformer;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

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
 * <p>Memory: the cache belongs to the {@link DecodeCall} that made the state (or to the {@link PromptState} that holds
 * it, for a reusable prefix) and is freed when that closes; each step's temporaries live in the
 * {@link DecodeCall.Step} passed to {@link #step}. Not thread-safe.
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
        return prefill(model, owner, batch, capacity, hooks, Set.of(), new HashMap<>());
    }

    /**
     * Prefills all but the last prompt column, also copying the input of each block in {@code keep} (its
     * {@code hook_resid_pre}) into {@code residuals}, owned by {@code owner}, for a later {@link #resume}.
     *
     * @throws IllegalArgumentException if residuals are kept while hooks are set (a resumed forward must start from the
     *                                  unhooked residual), or a kept layer does not exist
     */
    static DecodeState prefill(LoadedModel model, NDManager owner, PromptBatch batch, int capacity, HookSet hooks,
            Set<Integer> keep, Map<Integer, NDArray> residuals) {
        int b = batch.batchSize();
        int width = batch.width();
        int pre = width - 1;
        if (capacity < width) {
            throw new IllegalArgumentException("capacity " + capacity + " cannot hold the " + width + " prompt columns");
        }
        model.requireKnownTokenIds(batch);
        for (int r = 0; r < b; r++) {
            if (batch.promptLength(r) > model.transformer().maxPositions()) {
                throw new IllegalArgumentException("prompt row " + r + " has " + batch.promptLength(r) + " tokens, more than"
                        + " the model's " + model.transformer().maxPositions() + " positions");
            }
        }
        HookSet active = model.hooks().snapshot().with(hooks);
        if (!keep.isEmpty() && !active.isEmpty()) {
            throw new IllegalArgumentException("block inputs can be kept only from an unhooked prefill, but hooks are set at "
                    + active.points() + "; prefill without hooks (and without model-wide hooks)");
        }
        for (int layer : new TreeSet<>(keep)) {
            if (layer < 0 || layer >= model.config().numLayers()) {
                throw new IllegalArgumentException("cannot keep the input of block " + layer + ": the model has blocks 0.."
                        + (model.config().numLayers() - 1));
            }
            active = active.with(HookPoint.residPre(layer), (x, c) -> {
                NDArray copy = x.duplicate();
                copy.attach(owner);
                residuals.put(layer, copy);
                return x;
            });
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
            PrefixInputs in = PrefixInputs.of(batch);
            try (NDManager tmp = owner.newSubManager()) {
                ForwardContext ctx = new ForwardContext(tmp, owner, st.constants, active, in.meta(true),
                        tmp.create(in.mask, new Shape(b, 1, 1, pre, pre)), cache, model.dataType());
                model.transformer().forward(tmp.create(in.ids, new Shape(b, pre)), tmp.create(in.pos, new Shape(b, pre)), ctx,
                        Transformer.Logits.NONE);
            }
            cache.advance(pre);
        }
        return st;
    }

    /**
     * Starts from a prefilled prefix but runs the prompt prefix again through blocks {@code layer..N-1} with
     * {@code hooks}, from the block input kept at {@code layer}; the keys and values of the blocks below are copied
     * from the prefix. Equal to a full {@link #prefill} with the same hooks (the same ops run on the same inputs),
     * provided no hook acts below block {@code layer}, which is checked.
     *
     * @param capacity cache columns: at least {@code width − 1 + steps to run}
     * @throws IllegalArgumentException if a hook (model-wide included) is set at the embedding or at a block below
     *                                  {@code layer}, or the prefix did not keep the input of {@code layer}
     */
    static DecodeState resume(LoadedModel model, NDManager owner, PromptState prefix, int layer, int capacity, HookSet hooks) {
        DecodeState base = prefix.state();
        HookSet active = model.hooks().snapshot().with(hooks);
        for (HookPoint p : active.points()) {
            if (p.kind() == HookPoint.Kind.EMBED || p.kind() == HookPoint.Kind.POS_EMBED
                    || (p.kind().perBlock() && p.layer() < layer)) {
                throw new IllegalArgumentException("a hook is set at " + p + ", below block " + layer + " where the prefill"
                        + " resumes, so it would never fire; resume at block " + (p.layer() < 0 ? 0 : p.layer())
                        + " or lower, or prefill in full");
            }
        }
        int pre = base.cache.length();
        if (pre == 0) {
            return base.fork(owner, capacity); // a one-token prompt: nothing is prefilled
        }
        NDArray residual = prefix.residual(layer);
        PromptBatch batch = prefix.batch();
        int b = batch.batchSize();
        KvCache cache = base.cache.copyBelow(owner, capacity, layer);
        DecodeState st = new DecodeState(model, owner, cache, base.promptLengths.clone(), base.rows.clone(),
                base.nextPositions.clone(), base.pending.clone(), 0);
        PrefixInputs in = PrefixInputs.of(batch);
        try (NDManager tmp = owner.newSubManager()) {
            ForwardContext ctx = new ForwardContext(tmp, owner, st.constants, active, in.meta(true),
                    tmp.create(in.mask, new Shape(b, 1, 1, pre, pre)), cache, model.dataType());
            NDArray x = residual.duplicate(); // hooks must not reach the shared prefix
            x.attach(tmp);
            model.transformer().forwardFrom(layer, x, tmp.create(in.pos, new Shape(b, pre)), ctx, Transformer.Logits.NONE);
        }
        cache.advance(pre);
        return st;
    }

    /** The prefill inputs of every prompt column but the last, row-major, as plain Java. */
    private record PrefixInputs(int batch, int pre, long[] ids, long[] pos, int[] posJ, int[] maskJ, float[] mask,
            int[] lengths, int[] rows) {
        static PrefixInputs of(PromptBatch batch) {
            int b = batch.batchSize();
            int pre = batch.width() - 1;
            long[] ids = new long[b * pre];
            long[] pos = new long[b * pre];
            int[] posJ = new int[b * pre];
            int[] maskJ = new int[b * pre];
            float[] mask = new float[b * pre * pre];
            int[] rows = new int[b];
            for (int r = 0; r < b; r++) {
                rows[r] = r;
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
            return new PrefixInputs(b, pre, ids, pos, posJ, maskJ, mask, batch.promptLengths(), rows);
        }

        StepPositions meta(boolean prefill) {
            return new StepPositions(batch, pre, posJ, maskJ, lengths, rows, prefill);
        }
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

    /** An independent copy whose cache belongs to {@code target}, with {@code capacity} columns. */
    DecodeState fork(NDManager target, int capacity) {
        Objects.requireNonNull(target, "target");
        return new DecodeState(model, target, cache.copy(target, capacity), promptLengths.clone(), rows.clone(),
                nextPositions.clone(), pending.clone(), steps);
    }

    /**
     * Runs one token per row through the model with the given hooks (plus the model-wide ones), appends its keys and
     * values to the cache, and returns the next-token logits.
     *
     * @param step   a step of the call that owns this state: the returned logits and every temporary live there
     * @param tokens one token id per row (the {@link #pendingTokens()} at the first step)
     * @return logits {@code [batch, d_vocab]}, valid until {@code step} closes
     * @throws IllegalArgumentException if {@code step} belongs to another call
     * @throws IllegalStateException    when the cache is full or a position exceeds the model's maximum
     */
    public NDArray step(DecodeCall.Step step, int[] tokens, HookSet hooks) {
        NDManager scope = step.manager();
        if (scope.getParentManager() != owner) {
            throw new IllegalArgumentException("the step scope belongs to another decode call than this state; open it"
                    + " with newStep() of the call that prefilled or forked the state");
        }
        return step(scope, tokens, hooks);
    }

    private NDArray step(NDManager scope, int[] tokens, HookSet hooks) {
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

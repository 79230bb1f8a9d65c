package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * Causal multi-head attention with grouped key/value heads, fused QKV projection, optional RoPE and an optional KV
 * cache. Query head j reads key/value head {@code j / (n_heads / n_kv_heads)}.
 *
 * <p>Shapes: input {@code [batch, pos, d_model]}; q {@code [batch, n_heads, pos, d_head]}; k, v
 * {@code [batch, n_kv_heads, pos, d_head]}. Grouped heads are handled by viewing q as
 * {@code [batch, n_kv_heads, group·pos, d_head]}, so keys and values are never repeated. Softmax runs in float32
 * over allowed keys (the additive mask puts a large finite negative elsewhere, so a row with no allowed key gives a
 * uniform distribution rather than NaN).
 *
 * <p>Options of the newer architectures: a {@link QkNorm} on q and k before RoPE; one of several RoPE tables (Gemma 3
 * gives sliding layers their own base); a sliding window ({@link ForwardContext#mask(int)}); and Gemma 2's attention
 * logit soft-cap {@code c·tanh(s/c)} on the scaled scores before the mask.
 */
public final class Attention {
    private final Linear qkv;
    private final Linear out;
    private final int numHeads;
    private final int numKvHeads;
    private final int headDim;
    private final float scale;
    private final int ropeTable;
    private final int window;
    private final float softCap;
    private final QkNorm qkNorm;

    /**
     * @param qkv        fused projection {@code [d_model, (n_heads + 2·n_kv_heads)·d_head]}: q features, then k, then v
     * @param out        output projection {@code [n_heads·d_head, d_model]}
     * @param scale      factor on q before the scores; 1 when {@code 1/sqrt(d_head)} is already folded into the q
     *                   projection at load, as the adapters do
     * @param rope       apply RoPE to q and k
     */
    public Attention(Linear qkv, Linear out, int numHeads, int numKvHeads, int headDim, float scale, boolean rope) {
        this(qkv, out, numHeads, numKvHeads, headDim, scale, rope ? 0 : -1, 0, 0f, null);
    }

    /**
     * @param ropeTable which RoPE table of the step ({@link ForwardContext#cos(int)}) rotates q and k, or −1 for none
     * @param window    sliding window in keys (the query included), or 0 for full causal attention
     * @param softCap   attention logit soft-cap c, or 0 for none
     * @param qkNorm    norm on q and k before RoPE, or null
     */
    public Attention(Linear qkv, Linear out, int numHeads, int numKvHeads, int headDim, float scale, int ropeTable, int window,
            float softCap, QkNorm qkNorm) {
        if (window < 0 || softCap < 0) {
            throw new IllegalArgumentException("window and soft-cap must be 0 (off) or positive, got " + window + ", " + softCap);
        }
        this.ropeTable = ropeTable;
        this.window = window;
        this.softCap = softCap;
        this.qkNorm = qkNorm;
        this.qkv = Objects.requireNonNull(qkv);
        this.out = Objects.requireNonNull(out);
        if (qkv.outFeatures() != (long) (numHeads + 2 * numKvHeads) * headDim) {
            throw new IllegalArgumentException("fused qkv has " + qkv.outFeatures() + " outputs, expected "
                    + (numHeads + 2 * numKvHeads) * headDim);
        }
        this.numHeads = numHeads;
        this.numKvHeads = numKvHeads;
        this.headDim = headDim;
        this.scale = scale;
    }

    /** Sliding window in keys, or 0 for full attention. */
    public int window() {
        return window;
    }

    /** The projections: fused qkv, then output. */
    public java.util.List<Linear> linears() {
        return java.util.List.of(qkv, out);
    }

    /** The projection weights. */
    public java.util.List<NDArray> parameters() {
        java.util.List<NDArray> p = new java.util.ArrayList<>(qkv.parameters());
        p.addAll(out.parameters());
        if (qkNorm != null) {
            p.addAll(qkNorm.parameters());
        }
        return p;
    }

    /** Query heads (n_heads; {@code hook_z} has one block of {@link #headDim()} columns per query head). */
    public int numHeads() {
        return numHeads;
    }

    /** d_head. */
    public int headDim() {
        return headDim;
    }

    /**
     * Attention over the step's tokens (and the cache, if any): {@code project(heads(h))}.
     *
     * @param h     normalised input {@code [batch, pos, d_model]}
     * @param layer block index (for the cache)
     * @return {@code [batch, pos, d_model]}, after the output projection
     */
    public NDArray forward(NDArray h, int layer, ForwardContext ctx) {
        return project(heads(h, layer, ctx));
    }

    /**
     * The output projection of the heads' outputs ({@code hook_z}, {@code [batch, pos, n_heads·d_head]}) to
     * {@code [batch, pos, d_model]}.
     */
    public NDArray project(NDArray z) {
        return out.apply(z);
    }

    /**
     * The heads' outputs before the output projection ({@code hook_z}): each query head's attention-weighted values,
     * flat as {@code [batch, pos, n_heads·d_head]} with query head j at columns {@code j·d_head..(j+1)·d_head}.
     * Appends this step's keys and values to the cache, if any.
     *
     * @param h     normalised input {@code [batch, pos, d_model]}
     * @param layer block index (for the cache)
     */
    public NDArray heads(NDArray h, int layer, ForwardContext ctx) {
        Shape s = h.getShape();
        long batch = s.get(0);
        long len = s.get(1);
        int group = numHeads / numKvHeads;
        long qDim = (long) numHeads * headDim;
        long kvDim = (long) numKvHeads * headDim;
        // [batch, pos, (n_heads + 2·n_kv)·d_head] -> q and k as one [batch, pos, n_heads + n_kv, d_head], v apart
        NDList qkAndV = qkv.apply(h).split(new long[] {qDim + kvDim}, 2);
        NDArray qk = qkAndV.get(0);
        if (qkNorm != null && qkNorm.scope() == QkNorm.Scope.WHOLE_PROJECTION) {
            NDList parts = qk.split(new long[] {qDim}, 2);
            qk = NDArrays.concat(new NDList(qkNorm.q().apply(parts.get(0)), qkNorm.k().apply(parts.get(1))), 2);
        }
        qk = qk.reshape(batch, len, numHeads + numKvHeads, headDim);
        if (qkNorm != null && qkNorm.scope() == QkNorm.Scope.PER_HEAD) {
            NDList parts = qk.split(new long[] {numHeads}, 2);
            qk = NDArrays.concat(new NDList(qkNorm.q().apply(parts.get(0)), qkNorm.k().apply(parts.get(1))), 2);
        }
        if (ropeTable >= 0) {
            qk = Rope.apply(qk, ctx.cos(ropeTable), ctx.sin(ropeTable)); // one rotation for q and k heads together
        }
        NDList qAndK = qk.split(new long[] {numHeads}, 2);
        NDArray v = qkAndV.get(1).reshape(batch, len, numKvHeads, headDim);
        NDArray q;
        NDArray k;
        if (len == 1) {
            // decode: [batch, 1, heads, d_head] is already [batch, heads, 1, d_head] in memory
            q = qAndK.get(0).reshape(batch, numKvHeads, group, headDim);
            k = qAndK.get(1).reshape(batch, numKvHeads, 1, headDim);
            v = v.reshape(batch, numKvHeads, 1, headDim);
        } else {
            q = qAndK.get(0).transpose(0, 2, 1, 3).reshape(batch, numKvHeads, group * len, headDim);
            k = qAndK.get(1).transpose(0, 2, 1, 3);
            v = v.transpose(0, 2, 1, 3);
        }
        if (scale != 1f) {
            q = q.mul(scale);
        }
        NDArray keys = k;
        NDArray values = v;
        if (ctx.cache() != null) {
            NDArray[] kv = ctx.cache().append(ctx.manager(), layer, ctx.cacheRow(), k, v);
            keys = kv[0];
            values = kv[1];
        }
        long total = keys.getShape().get(2);
        // [batch, n_kv, group·pos, d_head] · [batch, n_kv, d_head, total] -> [batch, n_kv, group·pos, total]
        NDArray scores = q.matMul(keys.transpose(0, 1, 3, 2));
        DataType dt = scores.getDataType();
        if (dt != DataType.FLOAT32) {
            scores = scores.toType(DataType.FLOAT32, false);
        }
        if (softCap > 0) {
            scores = scores.div(softCap).tanh().mul(softCap);
        }
        NDArray probs;
        if (len == 1) {
            probs = scores.add(ctx.mask4(window)).softmax(3); // mask [batch, 1, 1, total]
        } else {
            probs = scores.reshape(batch, numKvHeads, group, len, total).add(ctx.mask(window)).softmax(4)
                    .reshape(batch, numKvHeads, group * len, total);
        }
        if (dt != DataType.FLOAT32) {
            probs = probs.toType(dt, false);
        }
        // [batch, n_kv, group·pos, total] · [batch, n_kv, total, d_head] -> [batch, pos, n_heads·d_head]
        NDArray heads = probs.matMul(values);
        return len == 1 ? heads.reshape(batch, 1, qDim)
                : heads.reshape(batch, numHeads, len, headDim).transpose(0, 2, 1, 3).reshape(batch, len, qDim);
    }
}

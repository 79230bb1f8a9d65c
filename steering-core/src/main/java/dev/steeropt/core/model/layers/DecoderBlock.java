package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.steeropt.core.hooks.HookPoint;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * One pre-norm decoder block, written as the residual-stream equations. The only place block hooks fire.
 *
 * <pre>
 * x = hook_resid_pre(x)                                   [batch, pos, d_model]
 * x = hook_resid_mid(x + hook_attn_out(attn(norm1(x))))
 * x = hook_resid_post(x + hook_mlp_out(mlp(norm2(x))))
 * </pre>
 */
public final class DecoderBlock {
    private final int index;
    private final Norm attnNorm;
    private final Attention attention;
    private final Norm mlpNorm;
    private final Mlp mlp;
    private final HookPoint residPre;
    private final HookPoint attnOut;
    private final HookPoint residMid;
    private final HookPoint mlpOut;
    private final HookPoint residPost;

    /** A block of the given index from its shared layers. */
    public DecoderBlock(int index, Norm attnNorm, Attention attention, Norm mlpNorm, Mlp mlp) {
        this.index = index;
        this.attnNorm = Objects.requireNonNull(attnNorm);
        this.attention = Objects.requireNonNull(attention);
        this.mlpNorm = Objects.requireNonNull(mlpNorm);
        this.mlp = Objects.requireNonNull(mlp);
        this.residPre = HookPoint.residPre(index);
        this.attnOut = HookPoint.attnOut(index);
        this.residMid = HookPoint.residMid(index);
        this.mlpOut = HookPoint.mlpOut(index);
        this.residPost = HookPoint.residPost(index);
    }

    /** Block index (0-based). */
    public int index() {
        return index;
    }

    /** The block's projections (attention, then MLP). */
    public java.util.List<Linear> linears() {
        java.util.List<Linear> l = new java.util.ArrayList<>(attention.linears());
        l.addAll(mlp.linears());
        return l;
    }

    /** All weights of the block. */
    public java.util.List<NDArray> parameters() {
        java.util.List<NDArray> p = new java.util.ArrayList<>(attnNorm.parameters());
        p.addAll(attention.parameters());
        p.addAll(mlpNorm.parameters());
        p.addAll(mlp.parameters());
        return p;
    }

    /**
     * Runs the block over {@code [batch, pos, d_model]}. A long multi-token step runs attention and MLP in row groups
     * ({@link ForwardContext#rowsPerGroup}), each in its own scope, so their large temporaries stay small; the hooks
     * always see the whole batch.
     */
    public NDArray forward(NDArray x, ForwardContext ctx) {
        Shape s = x.getShape();
        int group = ctx.rowsPerGroup(s.get(0), s.get(1));
        NDArray resid = ctx.fire(residPre, x);
        NDArray attn = group >= s.get(0) ? attention.forward(attnNorm.apply(resid), index, ctx)
                : inRowGroups(resid, group, ctx, (part, c) -> attention.forward(attnNorm.apply(part), index, c));
        resid = ctx.fire(residMid, resid.add(ctx.fire(attnOut, attn)));
        NDArray ff = group >= s.get(0) ? mlp.apply(mlpNorm.apply(resid))
                : inRowGroups(resid, group, ctx, (part, c) -> mlp.apply(mlpNorm.apply(part)));
        return ctx.fire(residPost, resid.add(ctx.fire(mlpOut, ff)));
    }

    /** Applies {@code f} to consecutive groups of {@code rows} batch rows and concatenates the results, in {@code ctx}'s scope. */
    private static NDArray inRowGroups(NDArray x, int rows, ForwardContext ctx, BiFunction<NDArray, ForwardContext, NDArray> f) {
        int batch = (int) x.getShape().get(0);
        NDList parts = new NDList();
        for (int from = 0; from < batch; from += rows) {
            int to = Math.min(batch, from + rows);
            try (NDManager scope = ctx.manager().newSubManager()) {
                NDArray part = x.get(new NDIndex().addSliceDim(from, to));
                part.attach(scope); // the slice's ops then create their results in the group scope
                NDArray out = f.apply(part, ctx.rows(scope, from, to));
                out.attach(ctx.manager());
                parts.add(out);
            }
        }
        try (NDManager scope = ctx.manager().newSubManager()) {
            parts.attach(scope);
            NDArray all = NDArrays.concat(parts, 0);
            all.attach(ctx.manager());
            return all;
        }
    }
}

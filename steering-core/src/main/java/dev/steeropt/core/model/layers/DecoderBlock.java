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
 * One decoder block, written as the residual-stream equations. The only place block hooks fire.
 *
 * <pre>
 * sequential (Llama, GPT-2; Gemma and OLMo 2 add the output norms, OLMo 2 has no input norms):
 * x = hook_resid_pre(x)                                                       [batch, pos, d_model]
 * x = hook_resid_mid(x + hook_attn_out(attnOutNorm(project(attn.hook_z(heads(attnNorm(x)))))))
 * x = hook_resid_post(x + hook_mlp_out(mlpOutNorm(mlp(mlpNorm(x)))))
 *
 * parallel (GPT-NeoX): attention and MLP read the same x
 * x = hook_resid_pre(x)
 * x = hook_resid_post(x + hook_attn_out(attn(attnNorm(x))) + hook_mlp_out(mlp(mlpNorm(x))))
 * </pre>
 *
 * {@code attn} is {@code project(attn.hook_z(heads(·)))} in both: {@code blocks.{i}.attn.hook_z} sees the heads'
 * outputs ({@code [batch, pos, n_heads·d_head]}) before the output projection.
 *
 * An absent norm is the identity. {@code hook_attn_out} and {@code hook_mlp_out} are always each sub-block's
 * contribution as added to the residual stream (after any output norm). A parallel block has no residual stream
 * between its sub-blocks, so it has no {@code hook_resid_mid}: the model does not list it, and a hook set there is
 * an error, not a hook that silently never fires.
 */
public final class DecoderBlock {
    /** How the sub-blocks feed the residual stream. */
    public enum Residual {
        /** Attention's output is added before the MLP reads the stream. */
        SEQUENTIAL,
        /** Attention and MLP read the same input; both outputs are added at once. */
        PARALLEL
    }

    private final int index;
    private final Residual residual;
    private final Norm attnNorm;
    private final Attention attention;
    private final Norm attnOutNorm;
    private final Norm mlpNorm;
    private final Mlp mlp;
    private final Norm mlpOutNorm;
    private final HookPoint residPre;
    private final HookPoint z;
    private final HookPoint attnOut;
    private final HookPoint residMid;
    private final HookPoint mlpOut;
    private final HookPoint residPost;

    /** A pre-norm sequential block of the given index from its shared layers. */
    public DecoderBlock(int index, Norm attnNorm, Attention attention, Norm mlpNorm, Mlp mlp) {
        this(index, Residual.SEQUENTIAL, Objects.requireNonNull(attnNorm), attention, null, Objects.requireNonNull(mlpNorm), mlp,
                null);
    }

    /**
     * A block with any norm placement; a null norm is the identity.
     *
     * @param attnNorm    norm on the attention input, or null
     * @param attnOutNorm norm on the attention output before the residual add, or null
     * @param mlpNorm     norm on the MLP input, or null
     * @param mlpOutNorm  norm on the MLP output before the residual add, or null
     */
    public DecoderBlock(int index, Residual residual, Norm attnNorm, Attention attention, Norm attnOutNorm, Norm mlpNorm, Mlp mlp,
            Norm mlpOutNorm) {
        this.index = index;
        this.residual = Objects.requireNonNull(residual);
        this.attnNorm = attnNorm;
        this.attention = Objects.requireNonNull(attention);
        this.attnOutNorm = attnOutNorm;
        this.mlpNorm = mlpNorm;
        this.mlp = Objects.requireNonNull(mlp);
        this.mlpOutNorm = mlpOutNorm;
        this.residPre = HookPoint.residPre(index);
        this.z = HookPoint.z(index);
        this.attnOut = HookPoint.attnOut(index);
        this.residMid = HookPoint.residMid(index);
        this.mlpOut = HookPoint.mlpOut(index);
        this.residPost = HookPoint.residPost(index);
    }

    /** Block index (0-based). */
    public int index() {
        return index;
    }

    /** How the sub-blocks feed the residual stream ({@link Residual#PARALLEL} blocks have no {@code hook_resid_mid}). */
    public Residual residual() {
        return residual;
    }

    /** The attention layer. */
    public Attention attention() {
        return attention;
    }

    /** The block's projections (attention, then MLP). */
    public java.util.List<Linear> linears() {
        java.util.List<Linear> l = new java.util.ArrayList<>(attention.linears());
        l.addAll(mlp.linears());
        return l;
    }

    /** All weights of the block. */
    public java.util.List<NDArray> parameters() {
        java.util.List<NDArray> p = new java.util.ArrayList<>();
        for (Norm n : new Norm[] {attnNorm, attnOutNorm, mlpNorm, mlpOutNorm}) {
            if (n != null) {
                p.addAll(n.parameters());
            }
        }
        p.addAll(attention.parameters());
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
        BiFunction<NDArray, ForwardContext, NDArray> headsF = (part, c) -> attention.heads(norm(attnNorm, part), index, c);
        BiFunction<NDArray, ForwardContext, NDArray> projectF = (part, c) -> norm(attnOutNorm, attention.project(part));
        BiFunction<NDArray, ForwardContext, NDArray> mlpF = (part, c) -> norm(mlpOutNorm, mlp.apply(norm(mlpNorm, part)));
        NDArray attn;
        if (ctx.hooked(z)) {
            // the hook sees the whole batch: heads per row group, the hook, then the projection per row group
            NDArray heads = ctx.fire(z, group >= s.get(0) ? headsF.apply(resid, ctx) : inRowGroups(resid, group, ctx, headsF));
            attn = group >= s.get(0) ? projectF.apply(heads, ctx) : inRowGroups(heads, group, ctx, projectF);
        } else {
            BiFunction<NDArray, ForwardContext, NDArray> attnF = (part, c) -> projectF.apply(headsF.apply(part, c), c);
            attn = group >= s.get(0) ? attnF.apply(resid, ctx) : inRowGroups(resid, group, ctx, attnF);
        }
        if (residual == Residual.PARALLEL) {
            if (ctx.hooked(residMid)) {
                throw new IllegalStateException("a hook is set at " + residMid + ", but block " + index + " has a parallel"
                        + " residual (attention and MLP read the same input), so there is no residual stream between them;"
                        + " hook " + attnOut + " or " + mlpOut + " instead");
            }
            NDArray ff = group >= s.get(0) ? mlpF.apply(resid, ctx) : inRowGroups(resid, group, ctx, mlpF);
            return ctx.fire(residPost, resid.add(ctx.fire(attnOut, attn)).add(ctx.fire(mlpOut, ff)));
        }
        resid = ctx.fire(residMid, resid.add(ctx.fire(attnOut, attn)));
        NDArray ff = group >= s.get(0) ? mlpF.apply(resid, ctx) : inRowGroups(resid, group, ctx, mlpF);
        return ctx.fire(residPost, resid.add(ctx.fire(mlpOut, ff)));
    }

    private static NDArray norm(Norm n, NDArray x) {
        return n == null ? x : n.apply(x);
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

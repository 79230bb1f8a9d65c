package dev.steeropt.core.model.layers;

import ai.djl.ndarray.NDArray;
import dev.steeropt.core.hooks.HookPoint;
import java.util.Objects;

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

    /** All weights of the block. */
    public java.util.List<NDArray> parameters() {
        java.util.List<NDArray> p = new java.util.ArrayList<>(attnNorm.parameters());
        p.addAll(attention.parameters());
        p.addAll(mlpNorm.parameters());
        p.addAll(mlp.parameters());
        return p;
    }

    /** Runs the block over {@code [batch, pos, d_model]}. */
    public NDArray forward(NDArray x, ForwardContext ctx) {
        NDArray resid = ctx.fire(residPre, x);
        NDArray attn = ctx.fire(attnOut, attention.forward(attnNorm.apply(resid), index, ctx));
        resid = ctx.fire(residMid, resid.add(attn));
        NDArray ff = ctx.fire(mlpOut, mlp.apply(mlpNorm.apply(resid)));
        return ctx.fire(residPost, resid.add(ff));
    }
}

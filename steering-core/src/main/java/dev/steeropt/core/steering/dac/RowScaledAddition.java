package dev.steeropt.core.steering.dac;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import dev.steeropt.core.hooks.Hook;
import dev.steeropt.core.hooks.HookContext;

/**
 * {@code h ← h + α_r · d} with a different α per batch row, for DAC's steered cache S where every row has its own
 * α_t at each step. Used only in decode steps (one token per row, all of them steered positions). Rows with α_t = 0
 * get {@code h + 0·d}, which is h bit for bit, so the addition always runs (also when every α_t is 0).
 *
 * <p>Not thread-safe: {@link #setAlphas} before each step of the one decode loop that owns it.
 */
final class RowScaledAddition implements Hook {
    private final float[] direction;
    private float[] alphas;

    RowScaledAddition(float[] direction) {
        this.direction = direction.clone();
    }

    void setAlphas(float[] alphas) {
        this.alphas = alphas.clone();
    }

    @Override
    public NDArray apply(NDArray h, HookContext ctx) {
        if (ctx.isPrefill()) {
            throw new IllegalStateException("DAC's steered cache is only stepped, never prefilled with steering");
        }
        int b = ctx.batchSize();
        if (alphas == null || alphas.length != b) {
            throw new IllegalStateException("DAC step has " + b + " rows but " + (alphas == null ? "no" : alphas.length)
                    + " α_t values were set");
        }
        long dModel = h.getShape().get(2);
        if (dModel != direction.length) {
            throw new IllegalArgumentException("steering vector has " + direction.length + " values but " + ctx.point()
                    + " has d_model " + dModel);
        }
        NDArray v = ctx.constant(this, m -> m.create(direction).toType(h.getDataType(), false));
        // [batch, 1, 1] * [d_model] -> [batch, 1, d_model]
        NDArray a = ctx.manager().create(alphas, new Shape(b, 1, 1)).toType(h.getDataType(), false);
        return h.add(a.mul(v));
    }
}

package dev.steeropt.core.hooks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * Activation addition: {@code h ← h + α·v} at {@code blocks.{layer}.hook_resid_post} (the output of decoder layer
 * {@code layer}), at the positions chosen by {@link SteerPositions}.
 *
 * <p>The hook is installed at every strength: at α = 0 it adds {@code 0·v}, which leaves every value as it was, so
 * the forward equals the unhooked one bit for bit (the zero-steering check relies on this path running; the search's
 * shortcut for an α = 0 trial lives in {@code SteeredGeneration}, not here). The scaled vector {@code α·v} is computed
 * in float32 in Java, uploaded once per generate call and cast to the compute dtype.
 */
public final class ActivationAddition implements Hook {
    private final int layer;
    private final float[] scaled;
    private final float alpha;
    private final SteerPositions positions;

    private ActivationAddition(int layer, float[] vector, float alpha, SteerPositions positions) {
        if (layer < 0) {
            throw new IllegalArgumentException("layer must be >= 0, got " + layer);
        }
        Objects.requireNonNull(vector, "vector");
        if (vector.length == 0) {
            throw new IllegalArgumentException("steering vector is empty");
        }
        if (!Float.isFinite(alpha)) {
            throw new IllegalArgumentException("alpha must be finite, got " + alpha);
        }
        this.layer = layer;
        this.alpha = alpha;
        this.positions = Objects.requireNonNull(positions, "positions");
        this.scaled = new float[vector.length];
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException("steering vector has a non-finite value at index " + i);
            }
            scaled[i] = alpha * vector[i];
        }
    }

    /**
     * @param layer     decoder layer whose output is steered (0-based)
     * @param vector    v, of length d_model (copied)
     * @param alpha     α
     * @param positions which positions
     */
    public static ActivationAddition of(int layer, float[] vector, float alpha, SteerPositions positions) {
        return new ActivationAddition(layer, vector, alpha, positions);
    }

    /** The steered layer. */
    public int layer() {
        return layer;
    }

    /** α. */
    public float alpha() {
        return alpha;
    }

    /** Position mode. */
    public SteerPositions positions() {
        return positions;
    }

    /** The hook point: {@code blocks.{layer}.hook_resid_post}. */
    public HookPoint point() {
        return HookPoint.residPost(layer);
    }

    /** The hooks to pass with a request: this hook at {@link #point()}, at every strength (α = 0 included). */
    public HookSet hooks() {
        return HookSet.of(point(), this);
    }

    @Override
    public NDArray apply(NDArray h, HookContext ctx) {
        long dModel = h.getShape().get(h.getShape().dimension() - 1);
        if (dModel != scaled.length) {
            throw new IllegalArgumentException("steering vector has " + scaled.length + " values but " + ctx.point()
                    + " has d_model " + dModel);
        }
        int batch = ctx.batchSize();
        int seq = ctx.seqLen();
        float[] mask = new float[batch * seq];
        int selected = 0;
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < seq; t++) {
                boolean on = positions == SteerPositions.ALL
                        || (!ctx.isPad(b, t) && positions.selects(ctx.positionId(b, t), ctx.promptLength(b)));
                if (on) {
                    mask[b * seq + t] = 1f;
                    selected++;
                }
            }
        }
        if (selected == 0) {
            return h;
        }
        NDArray v = ctx.constant(this, m -> m.create(scaled).toType(h.getDataType(), false));
        if (selected == mask.length) {
            return h.add(v);
        }
        NDArray m = ctx.manager().create(mask, new Shape(batch, seq, 1)).toType(h.getDataType(), false);
        return h.add(m.mul(v));
    }

    @Override
    public String toString() {
        return "ActivationAddition[layer=" + layer + ", alpha=" + alpha + ", positions=" + positions + "]";
    }
}

package dev.steeropt.core.hooks;

import ai.djl.ndarray.NDArray;
import java.util.Objects;

/**
 * Projects a direction out of the activation at one hook point: {@code h ← h − (h·u) u / ‖u‖²} at every target
 * position, so the result has no component along {@code u}. Other positions keep their value exactly. For a zero
 * {@code u} the same code runs with {@code u/‖u‖²} taken as zero, which subtracts exactly zero: bit-identical to no
 * intervention. Composes with the KV cache and batching as {@link ActivationReplacement}.
 */
public final class DirectionProjection implements Hook {
    private final HookPoint point;
    private final float[] direction;
    private final float[] scaled;
    private final InterventionTargets targets;

    private DirectionProjection(HookPoint point, float[] direction, InterventionTargets targets) {
        this.point = Objects.requireNonNull(point, "point");
        this.targets = Objects.requireNonNull(targets, "targets");
        Objects.requireNonNull(direction, "direction");
        if (direction.length == 0) {
            throw new IllegalArgumentException("the direction is empty");
        }
        this.direction = direction.clone();
        double sq = 0;
        for (int i = 0; i < direction.length; i++) {
            if (!Float.isFinite(direction[i])) {
                throw new IllegalArgumentException("the direction has a non-finite value at index " + i);
            }
            sq += (double) direction[i] * direction[i];
        }
        this.scaled = new float[direction.length];
        if (sq > 0) {
            for (int i = 0; i < direction.length; i++) {
                scaled[i] = (float) (direction[i] / sq);
            }
        }
    }

    /** Projects {@code direction} (copied; any length but d_model's is refused at run time) out at the targets. */
    public static DirectionProjection of(HookPoint point, float[] direction, InterventionTargets targets) {
        return new DirectionProjection(point, direction, targets);
    }

    /** The hook point. */
    public HookPoint point() {
        return point;
    }

    /** This hook at its point. */
    public HookSet hooks() {
        return HookSet.of(point, this);
    }

    @Override
    public NDArray apply(NDArray h, HookContext ctx) {
        boolean[] on = targets.selection(ctx);
        if (!InterventionTargets.any(on)) {
            return h;
        }
        InterventionTargets.dModel(h, direction.length, this, point);
        NDArray u = ctx.constant(this, m -> m.create(direction).toType(h.getDataType(), false));
        NDArray w = ctx.constant(scaled, m -> m.create(scaled).toType(h.getDataType(), false));
        NDArray coef = h.mul(u).sum(new int[] {2}, true); // [batch, seq, 1]
        NDArray projected = h.sub(coef.mul(w));
        return InterventionTargets.select(ctx, on, projected, h);
    }

    @Override
    public String toString() {
        return "DirectionProjection[" + point + ", " + targets + "]";
    }
}
